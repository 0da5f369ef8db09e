using Coca.Core.Analysis;

namespace Coca.Core.Tests.Analysis;

public class ExperimentAssignmentTests
{
    private static List<(string User, double? PriorKwh)> Users(int n) =>
        [.. Enumerable.Range(0, n).Select(i => ($"u{i:D3}", i % 7 == 0 ? (double?)null : Math.Pow(1.05, i)))];

    [Fact]
    public void The_same_users_and_seed_give_the_same_arms_whatever_order_the_users_come_in()
    {
        var users = Users(101);
        var a = ExperimentAssignment.Assign(users, 0.5, 42, "energy");
        var b = ExperimentAssignment.Assign(Enumerable.Reverse(users).ToList(), 0.5, 42, "energy");
        Assert.Equal(a, b);
        var other = ExperimentAssignment.Assign(users, 0.5, 43, "energy");
        string Arms(IEnumerable<ArmAssignment> x) => string.Join(",", x.OrderBy(y => y.User, StringComparer.Ordinal).Select(y => y.Arm));
        Assert.NotEqual(Arms(a), Arms(other));
    }

    [Theory]
    [InlineData(0.5, "energy")]
    [InlineData(0.3, "energy")]
    [InlineData(0.2, null)]
    public void The_control_arm_holds_the_share_asked_for(double share, string? by)
    {
        var arms = ExperimentAssignment.Assign(Users(101), share, 7, by);
        Assert.Equal(101, arms.Count);
        Assert.Equal((int)Math.Floor(share * 101 + 0.5), arms.Count(a => a.Arm == ExperimentArms.Control));
    }

    [Fact]
    public void Stratified_by_energy_each_pair_of_neighbours_is_split_so_the_arms_prior_energy_match()
    {
        var arms = ExperimentAssignment.Assign(Users(200), 0.5, 3, "energy");
        foreach (var stratum in arms.GroupBy(a => a.Stratum)) Assert.Single(stratum, a => a.Arm == ExperimentArms.Control);
        double Mean(string arm) => arms.Where(a => a.Arm == arm && a.PriorKwh is not null).Average(a => a.PriorKwh!.Value);
        var (f, c) = (Mean(ExperimentArms.Feedback), Mean(ExperimentArms.Control));
        Assert.InRange(Math.Abs(f - c) / ((f + c) / 2), 0, 0.05);
    }

    [Fact]
    public void A_share_out_of_range_or_an_unknown_stratum_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentAssignment.Assign(Users(10), 1.0, 1, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentAssignment.Assign(Users(10), double.NaN, 1, null));
        Assert.Throws<ArgumentException>(() => ExperimentAssignment.Assign(Users(10), 0.5, 1, "team"));
    }
}
