using Coca.Core.Analysis;

namespace Coca.Core.Tests.Analysis;

public class TradeoffTests
{
    // A planted sweep, front computed by hand (energy kWh, accuracy):
    //   a (1.0, 0.80)  front: cheapest
    //   b (2.0, 0.78)  dominated by a (more energy, less accuracy)
    //   c (2.5, 0.86)  front
    //   d (3.0, 0.86)  dominated by c (same accuracy, more energy)
    //   e (6.0, 0.90)  front, best
    //   f (5.0, 0.85)  dominated by c
    //   g (unknown energy), h (no accuracy): left out, listed
    private static readonly TradeoffInput[] Sweep =
    [
        new("a", 1.0, 0.80), new("b", 2.0, 0.78), new("c", 2.5, 0.86), new("d", 3.0, 0.86),
        new("e", 6.0, 0.90), new("f", 5.0, 0.85), new("g", null, 0.99), new("h", 4.0, null),
    ];

    [Fact]
    public void The_front_of_a_planted_sweep_is_the_hand_computed_one()
    {
        var r = Tradeoff.Compute("accuracy", Sweep);

        Assert.Equal(["a", "c", "e"], r.Pareto);
        Assert.Equal("e", r.Best);
        Assert.Equal(6, r.Points.Count);
        Assert.Equal(["g"], r.WithoutEnergy);
        Assert.Equal(["h"], r.WithoutValue);
        // The last 0.04 of accuracy (c → e) cost 3.5 kWh of the sweep's 19.5: 17.9 %.
        var m = r.Marginal!;
        Assert.Equal(("c", "e"), (m.From, m.To));
        Assert.Equal(0.04, m.DeltaValue, 12);
        Assert.Equal(3.5, m.DeltaKwh, 12);
        Assert.Equal(3.5 / 19.5, m.ShareOfEnergy, 12);
        Assert.Equal(2.0 + 3.0 + 5.0, r.DominatedKwh, 12);
    }

    [Fact]
    public void Minimizing_a_loss_turns_the_front_around()
    {
        var r = Tradeoff.Compute("loss", [new("a", 1, 0.9), new("b", 2, 0.5), new("c", 3, 0.6), new("d", 4, 0.2)], maximize: false);

        Assert.Equal(["a", "b", "d"], r.Pareto);
        Assert.Equal("d", r.Best);
        Assert.Equal(0.3, r.Marginal!.DeltaValue, 12); // 0.5 → 0.2: 0.3 better
        Assert.Equal(2.0, r.Marginal.DeltaKwh, 12);
    }

    [Fact]
    public void One_run_has_no_marginal_and_none_has_no_best()
    {
        Assert.Null(Tradeoff.Compute("acc", [new("a", 1, 0.5)]).Marginal);
        var none = Tradeoff.Compute("acc", [new("a", null, 0.5), new("b", double.NaN, 0.5)]);
        Assert.Null(none.Best);
        Assert.Empty(none.Pareto);
        Assert.Equal(["a", "b"], none.WithoutEnergy);
    }

    [Fact]
    public void Best_value_is_the_largest_or_the_smallest_of_the_finite_reports()
    {
        Assert.Equal(0.9, Tradeoff.BestValue([0.5, 0.9, double.NaN, 0.7], maximize: true));
        Assert.Equal(0.5, Tradeoff.BestValue([0.5, 0.9, 0.7], maximize: false));
        Assert.Null(Tradeoff.BestValue([], maximize: true));
    }
}
