using Coca.Core.Analysis;
using Coca.Core.Extrapolation;

namespace Coca.Core.Tests.Extrapolation;

public sealed class TargetExtrapolationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static SiteJob Job(string id, double kwh, long elapsedS = 3600, int gpus = 1, string state = "COMPLETED", int startHour = 0) => new()
    {
        JobId = id, User = "alice", Gpus = gpus, GpuType = "a100", State = state, Submit = T0.AddHours(startHour), Start = T0.AddHours(startHour),
        ElapsedS = elapsedS, EnergyJ = kwh * 3.6e6, GpuUtilisation = 0.6,
    };

    private static TargetProfile Target(Dictionary<string, int>? gpus = null, Range3? utilisation = null) => new()
    {
        Name = "small",
        Gpus = gpus ?? new() { ["a100"] = 10 },
        TdpW = new Dictionary<string, double> { ["a100"] = 400, ["h100"] = 700 },
        Utilisation = utilisation ?? Range3.Exactly(0.5),
        Pue = Range3.Exactly(1.5),
        CarbonGPerKwh = Range3.Exactly(100),
        IdleW = Range3.Exactly(100),
    };

    [Fact]
    public void A_small_site_scales_as_the_hand_computation_says()
    {
        // Two one-GPU jobs of an hour at 0.3 kWh each: 0.3 kWh per GPU-hour, the same in every resample.
        var site = SiteFigures.Of([Job("1", 0.3), Job("2", 0.3, state: "FAILED")]);
        Assert.Equal(0.3, site.KwhPerGpuHour!.Value, 12);
        var t = TargetExtrapolation.Of(site, Target(), siteWasteShare: 0.25);
        // 10 GPUs × 8760 h × 0.5 = 43,800 GPU-hours allocated, as many idle.
        Assert.Equal(43_800, t.GpuHours.Mid, 9);
        Assert.Equal(13.14, t.JobsItMwh.Mid, 9);               // 43,800 × 0.3 kWh
        Assert.Equal(4.38, t.IdleItMwh.Mid, 9);                // 43,800 h × 100 W
        Assert.Equal(26.28, t.EnergyMwh.Mid, 9);               // (13.14 + 4.38) × 1.5
        Assert.Equal(2.628, t.EmissionsT.Mid, 9);              // 26.28 MWh × 100 g/kWh
        Assert.Equal(4.9275, t.WasteMwh!.Value.Mid, 9);        // 13.14 × 1.5 × 25 %
        Assert.Equal(t.EnergyMwh.Low, t.EnergyMwh.High, 9);    // no range anywhere: none in the answer
    }

    [Fact]
    public void A_type_the_site_did_not_run_is_scaled_by_its_tdp_and_says_so()
    {
        var site = SiteFigures.Of([Job("1", 0.3), Job("2", 0.3)]);
        var t = TargetExtrapolation.Of(site, Target(new() { ["h100"] = 10 }), null);
        Assert.Equal(0.3 * 700 / 400, t.KwhPerGpuHourByType["h100"], 12);
        Assert.Contains(t.Notes, n => n.StartsWith("h100", StringComparison.Ordinal));
        Assert.Null(t.WasteMwh);
    }

    [Fact]
    public void Ranges_are_ordered_and_the_bootstrap_brackets_the_sites_figure()
    {
        var jobs = Enumerable.Range(0, 200).Select(i => Job(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0.1 + i % 7 * 0.05, 1800 + i % 5 * 900)).ToList();
        var site = SiteFigures.Of(jobs);
        var f = site.BootstrapFactor!.Value;
        Assert.True(f.Low < 1 && f.High > 1 && f.Low <= f.Mid && f.Mid <= f.High, $"{f}");
        var t = TargetExtrapolation.Of(site, Target(utilisation: new Range3(0.6, 0.75, 0.9)) with { Pue = new Range3(1.1, 1.3, 1.5), CarbonGPerKwh = new Range3(30, 50, 80) }, 0.2);
        foreach (var r in new[] { t.EnergyMwh, t.EmissionsT, t.WasteMwh!.Value }) Assert.True(r.Low < r.Mid && r.Mid < r.High, $"{r}");
        // The same jobs give the same range: the bootstrap's seed is fixed.
        Assert.Equal(f, SiteFigures.Of(jobs).BootstrapFactor);
    }

    [Fact]
    public void The_rebound_view_names_growth_that_ate_an_efficiency_gain()
    {
        MonthFigures[] months = [new("2026-01", 10, 1000, 400), new("2026-02", 12, 2000, 600)];
        var (energy, efficiency, rebound) = ExtrapolationJson.Rebound(months);
        Assert.Equal(0.5, energy!.Value, 12);      // 400 → 600 kWh
        Assert.Equal(-0.25, efficiency!.Value, 12); // 0.4 → 0.3 kWh per GPU-hour
        Assert.True(rebound);
        Assert.Equal((null, null, null), ExtrapolationJson.Rebound(months[..1]));
    }

    [Fact]
    public void A_target_file_with_a_bad_number_or_a_missing_key_gives_one_reason()
    {
        var keys = new Dictionary<string, string>
        {
            ["name"] = "x", ["gpus.a100"] = "10", ["tdp_w.a100"] = "400", ["utilisation.low"] = "0.5", ["utilisation.mid"] = "0.6", ["utilisation.high"] = "0.7",
            ["pue.low"] = "1.1", ["pue.mid"] = "1.2", ["pue.high"] = "1.3", ["carbon.low"] = "10", ["carbon.mid"] = "20", ["carbon.high"] = "30",
            ["idle_w.low"] = "50", ["idle_w.mid"] = "60", ["idle_w.high"] = "70",
        };
        Assert.NotNull(TargetProfile.Read(keys, "t.toml", out var none));
        Assert.Null(none);
        foreach (var (key, value, expected) in new[] { ("pue.mid", "NaN", "pue.mid"), ("gpus.a100", "1.5", "gpus.a100"), ("utilisation.high", "0.55", "low ≤ mid ≤ high"), ("gpus.h100", "4", "[tdp_w] has no h100"), ("colour", "red", "unknown key") })
        {
            var bad = new Dictionary<string, string>(keys) { [key] = value };
            TargetProfile.Read(bad, "t.toml", out var problem);
            Assert.NotNull(problem);
            Assert.Contains(expected, problem, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', problem);
        }
    }
}
