using Coca.Core.Feedback;

namespace Coca.Core.Tests.Feedback;

public class LoginBannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_banner_keeps_to_twelve_lines_of_a_hundred_characters_whatever_it_is_given()
    {
        var jobs = Enumerable.Range(0, 9).Select(i => new BannerJob(new string('9', 40), new string('n', 60), T0, 3600, 3.6e6, null, 120, 1.3)).ToList();
        var tip = new BannerTip("zero_gpu", 3, 2.5, string.Join(' ', Enumerable.Repeat("word", 200)));
        var lines = LoginBanner.Lines("alice", jobs, new WeekEnergy(1, 1, 1), new WeekEnergy(4, 4, 4), tip);
        Assert.InRange(lines.Count, 1, LoginBanner.MaxLines);
        Assert.All(lines, l => Assert.InRange(l.Length, 1, LoginBanner.Width));
        Assert.EndsWith("…", lines[^1]);
    }

    [Fact]
    public void An_unknown_energy_is_said_unknown_never_zero_and_a_first_week_has_nothing_to_compare_with()
    {
        var lines = LoginBanner.Lines("bob", [new BannerJob("7", "n1", T0, 60, null, null, null, null)], new WeekEnergy(null, 1, 0), new WeekEnergy(null, 0, 0), null);
        Assert.Contains("energy unknown", lines[1]);
        Assert.Equal("Last 7 days: unknown over 1 job(s) (1 without a figure); none in the four weeks before.", lines[2]);
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public void A_digest_day_without_a_figure_is_a_dash_never_a_zero()
    {
        var d = new DigestModel("alice", new DateOnly(2026, 2, 23), new DateOnly(2026, 2, 25), 1, 1, 2, "agents", 500, [2.0, null], [], null);
        Assert.Contains("Tue 2026-02-24  -", DigestRender.Text(d));
        Assert.Contains("you ran 1 job(s): 2 kWh, 0.5 kgCO2e", DigestRender.Text(d));
    }
}
