using Coca.Core.Analysis;
using Coca.Core.Extrapolation;

namespace Coca.Core.Tests.Extrapolation;

/// <summary>Each what-if on jobs planted for it, beside jobs it must leave alone.</summary>
public sealed class WhatIfSavingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly BehaviourRules Rules = BehaviourRules.Defaults;

    private static SiteJob Job(string id, double kwh, double hours, double util = 0.6, string state = "COMPLETED", double at = 0, string user = "alice", long fingerprint = 0,
        bool interactive = false, string? array = null, double? tailKwh = null) => new()
    {
        JobId = id, User = user, Gpus = 1, GpuType = "a100", State = state, Submit = T0.AddHours(at), Start = T0.AddHours(at), ElapsedS = (long)(hours * 3600),
        EnergyJ = kwh * 3.6e6, GpuUtilisation = util, Fingerprint = fingerprint, Interactive = interactive, ArrayJobId = array,
        EnergyAfterLastGpuActivityJ = tailKwh * 3.6e6,
    };

    private static SiteSaving Saved(string scenario, IReadOnlyList<SiteJob> jobs, IReadOnlyList<double>? hourly = null, double sitePue = 1.5) =>
        WhatIfSavings.Of(WhatIf.ParseList(scenario)[0], jobs, Rules, hourly, sitePue);

    [Fact]
    public void Cancel_zero_gpu_after_2h_keeps_the_first_two_hours_of_idle_jobs_only()
    {
        var s = Saved("cancel-zero-gpu-after=2h", [Job("1", 4, 4, util: 0), Job("2", 1, 1, util: 0), Job("3", 4, 4, util: 0.5)]);
        Assert.Equal(2, s.Kwh!.Value, 9);
        Assert.Equal(1, s.Jobs);
    }

    [Fact]
    public void Stop_crash_loops_after_2_drops_the_third_failure_on_and_a_success_resets()
    {
        SiteJob[] jobs =
        [
            .. Enumerable.Range(0, 4).Select(i => Job($"a{i}", 1, 0.5, state: "FAILED", at: i, fingerprint: 7)),
            Job("b0", 1, 0.5, state: "FAILED", at: 0, user: "bob", fingerprint: 7), Job("b1", 1, 0.5, state: "FAILED", at: 1, user: "bob", fingerprint: 7),
            Job("b2", 1, 0.5, at: 2, user: "bob", fingerprint: 7), Job("b3", 1, 0.5, state: "FAILED", at: 3, user: "bob", fingerprint: 7),
            Job("b4", 1, 0.5, state: "FAILED", at: 4, user: "bob", fingerprint: 7),
        ];
        var s = Saved("stop-crash-loops-after=2", jobs);
        Assert.Equal(2, s.Kwh!.Value, 9);
        Assert.Equal(["a2", "a3"], WhatIfSavings.CrashLoopExcess(jobs, Rules, 2).Select(j => j.JobId));
    }

    [Fact]
    public void Cap_sweeps_keeps_the_first_runs_of_a_fingerprint_and_of_an_array()
    {
        SiteJob[] jobs =
        [
            .. Enumerable.Range(0, 5).Select(i => Job($"s{i}", 1, 0.3, at: i / 6.0, fingerprint: 9)),
            .. Enumerable.Range(0, 4).Select(i => Job($"r_{i}", 0.5, 0.3, at: 5, array: "r")),
            Job("late", 1, 0.3, at: 10, fingerprint: 9), // hours after the sweep: a new run, kept
        ];
        var s = Saved("cap-sweeps=3", jobs);
        Assert.Equal(2 * 1 + 1 * 0.5, s.Kwh!.Value, 9);
        Assert.Equal(3, s.Jobs);
    }

    [Fact]
    public void Release_idle_interactive_after_1h_cuts_idle_sessions_and_leaves_busy_ones()
    {
        var s = Saved("release-idle-interactive-after=1h", [Job("i", 9, 9, util: 0.05, interactive: true), Job("busy", 9, 9, util: 0.5, interactive: true), Job("batch", 9, 9, util: 0.05)]);
        Assert.Equal(8, s.Kwh!.Value, 9);
        Assert.Equal(1, s.Jobs);
    }

    [Fact]
    public void Stop_at_last_gpu_activity_saves_the_measured_tails_and_is_unknown_without_an_agent()
    {
        Assert.Equal(0.7, Saved("stop-at-last-gpu-activity", [Job("t", 3, 2, tailKwh: 0.7), Job("u", 3, 2, tailKwh: 0)]).Kwh!.Value, 9);
        var unknown = Saved("stop-at-last-gpu-activity", [Job("t", 3, 2)]);
        Assert.NotNull(unknown.Reason);
    }

    [Fact]
    public void A_lower_pue_saves_the_sites_it_energy_times_the_difference()
    {
        var s = Saved("pue=1.2", [Job("1", 10, 1), Job("2", 10, 1)], sitePue: 1.5);
        Assert.Equal(20 * 0.3, s.Kwh!.Value, 9);
    }

    [Fact]
    public void The_hourly_shift_moves_batch_jobs_to_the_cleanest_hours_and_leaves_interactive_ones()
    {
        var hourly = Enumerable.Range(0, 24).Select(h => h is >= 2 and <= 5 ? 10.0 : 100.0).ToArray();
        var s = Saved("carbon=hourly-shift", [Job("batch", 1, 1, at: 14), Job("shell", 1, 1, at: 14, interactive: true)], hourly);
        Assert.Equal(0, s.Kwh);
        Assert.Equal(90, s.Grams!.Value, 9);   // 1 kWh at 100 g moved to 10 g
        Assert.Equal(90 / 200.0, s.GramsShare!.Value, 9);
        Assert.NotNull(Saved("carbon=hourly-shift", [Job("batch", 1, 1)]).Reason);
    }

    [Theory]
    [InlineData("cancel-zero-gpu-after=0h")]
    [InlineData("cancel-zero-gpu-after=2")]
    [InlineData("stop-crash-loops-after=two")]
    [InlineData("pue=0.9")]
    [InlineData("carbon=cheapest")]
    [InlineData("stop-at-last-gpu-activity=1")]
    [InlineData("turn-it-off")]
    public void A_bad_scenario_is_refused_with_its_reason(string text) =>
        Assert.Contains(text.Split('=')[0], Assert.Throws<FormatException>(() => WhatIf.ParseList(text)).Message, StringComparison.Ordinal);
}
