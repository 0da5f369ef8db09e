using Coca.Core.Analysis;
using static Coca.Core.Tests.Analysis.Jobs;

namespace Coca.Core.Tests.Analysis;

public sealed class GroupRulesTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Three_failures_of_one_script_each_within_a_day_are_a_crash_loop_wasting_all_but_the_first()
    {
        var jobs = new[] { Job("1", "FAILED", energyKwh: 1, timeMs: 0), Job("2", "FAILED", energyKwh: 2, timeMs: 23 * Hour), Job("3", "NODE_FAIL", energyKwh: 4, timeMs: 46 * Hour) };
        var (findings, summary) = Analyse(jobs);
        var loop = Assert.Single(findings, f => f.Kind == BehaviourKind.CrashLoop);
        Assert.Equal(["1", "2", "3"], loop.Jobs);
        Assert.Equal((7.0, 6.0), (loop.EnergyKwh!.Value, loop.WastedKwh!.Value));
        // Each job's energy is avoidable once, though it is also failed_late: 7 kWh, not 13.
        Assert.Equal(7.0, summary.WastedKwh!.Value, 9);
        Assert.Equal(6.0, summary.ByKind[BehaviourKind.CrashLoop].WastedKwh!.Value, 9);
    }

    [Fact]
    public void A_gap_over_a_day_a_success_in_between_or_another_user_breaks_the_loop()
    {
        Assert.DoesNotContain(Analyse([Job("1", "FAILED"), Job("2", "FAILED", timeMs: 24 * Hour + 1), Job("3", "FAILED", timeMs: 25 * Hour)]).Findings,
            f => f.Kind == BehaviourKind.CrashLoop);
        Assert.DoesNotContain(Analyse([Job("1", "FAILED"), Job("2", "COMPLETED", timeMs: Hour), Job("3", "FAILED", timeMs: 2 * Hour), Job("4", "FAILED", timeMs: 3 * Hour)]).Findings,
            f => f.Kind == BehaviourKind.CrashLoop);
        Assert.DoesNotContain(Analyse([Job("1", "FAILED"), Job("2", "FAILED", timeMs: Hour, user: "bob"), Job("3", "FAILED", timeMs: 2 * Hour)]).Findings,
            f => f.Kind == BehaviourKind.CrashLoop);
        Assert.DoesNotContain(Analyse([Job("1", "FAILED"), Job("2", "FAILED", timeMs: Hour, fingerprint: 7), Job("3", "FAILED", timeMs: 2 * Hour)]).Findings,
            f => f.Kind == BehaviourKind.CrashLoop);
    }

    [Fact]
    public void A_job_still_running_neither_adds_to_nor_breaks_a_loop()
    {
        var (findings, _) = Analyse([Job("1", "FAILED"), Job("2", "RUNNING", timeMs: Hour), Job("3", "FAILED", timeMs: 2 * Hour), Job("4", "FAILED", timeMs: 3 * Hour)]);
        Assert.Equal(["1", "3", "4"], Assert.Single(findings, f => f.Kind == BehaviourKind.CrashLoop).Jobs);
    }

    [Fact]
    public void Ten_runs_of_one_script_each_within_an_hour_are_a_sweep_whose_waste_is_unknown_without_metrics()
    {
        var jobs = Enumerable.Range(0, 10).Select(i => Job($"{i}", energyKwh: i + 1, timeMs: i * 59 * 60_000L)).ToList();
        var sweep = Assert.Single(Analyse(jobs).Findings, f => f.Kind == BehaviourKind.Sweep);
        Assert.Equal((10, 55.0, (double?)null), (sweep.Jobs.Count, sweep.EnergyKwh!.Value, sweep.WastedKwh));
        Assert.Equal((10L, 5.5, 1.0, 10.0), ((long)sweep.Detail("runs")!, (double)sweep.Detail("mean_run_kwh")!, (double)sweep.Detail("min_run_kwh")!, (double)sweep.Detail("max_run_kwh")!));
        Assert.Empty(Analyse(jobs.Take(9)).Findings);
        var gap = jobs.Select((j, i) => i >= 5 ? j with { TimeMs = j.TimeMs + 2 * Hour } : j);
        Assert.Empty(Analyse(gap).Findings);
    }

    [Fact]
    public void A_job_array_of_ten_tasks_is_a_sweep_and_of_nine_is_not()
    {
        var tasks = Enumerable.Range(0, 10).Select(i => Job($"77_{i}", timeMs: i * 3 * Hour, fingerprint: 0) with { ArrayJobId = "77" }).ToList();
        var sweep = Assert.Single(Analyse(tasks).Findings, f => f.Kind == BehaviourKind.Sweep);
        Assert.Equal(("77", "one job array"), ((string)sweep.Detail("array_job_id")!, (string)sweep.Detail("rule")!));
        Assert.Empty(Analyse(tasks.Take(9)).Findings);
    }

    [Fact]
    public void Runs_stay_apart_for_each_user_and_runs_far_apart_in_time_close_on_the_way()
    {
        // 10 of alice's and 10 of bob's, interleaved; then a year later another 10 of alice's: three sweeps.
        var jobs = Enumerable.Range(0, 20).Select(i => Job($"{i}", timeMs: i * 60_000L, user: i % 2 == 0 ? "alice" : "bob"))
            .Concat(Enumerable.Range(0, 10).Select(i => Job($"y{i}", timeMs: 8760 * Hour + i * 60_000L)));
        var sweeps = Analyse(jobs).Findings.Where(f => f.Kind == BehaviourKind.Sweep).ToList();
        Assert.Equal(3, sweeps.Count);
        Assert.Equal(["alice", "alice", "bob"], sweeps.Select(s => s.User!).Order());
    }

    [Fact]
    public void Only_the_kinds_asked_for_are_reported_and_counted()
    {
        var jobs = new[] { Job("1", "FAILED"), Job("2", "FAILED", timeMs: Hour), Job("3", "FAILED", timeMs: 2 * Hour) };
        var (findings, summary) = Analyse(jobs, kinds: [BehaviourKind.CrashLoop]);
        Assert.All(findings, f => Assert.Equal(BehaviourKind.CrashLoop, f.Kind));
        Assert.Equal([BehaviourKind.CrashLoop], summary.ByKind.Keys);
        Assert.Equal((3L, 2.0), (summary.Jobs, summary.WastedKwh!.Value));
    }

    [Fact]
    public void The_by_groups_sum_jobs_energy_and_waste_per_framework()
    {
        var found = new List<Finding>();
        var analysis = new BehaviourAnalysis(BehaviourRules.Defaults, Jobs.Carbon, found.Add, by: "framework");
        analysis.Add(Job("1", "FAILED", energyKwh: 2) with { Framework = "pytorch" });
        analysis.Add(Job("2", energyKwh: 3, timeMs: Hour) with { Framework = "pytorch" });
        analysis.Add(Job("3", energyKwh: null, timeMs: 2 * Hour));
        analysis.Finish();
        var groups = analysis.Groups();
        Assert.Equal(("pytorch", 2L, 5.0, 2.0), (groups[0].Key, groups[0].Jobs, groups[0].EnergyKwh!.Value, groups[0].WastedKwh!.Value));
        Assert.Equal(("unknown", 1L, (double?)null, 1L), (groups[1].Key, groups[1].Jobs, groups[1].EnergyKwh, groups[1].UnknownEnergyJobs));
        Assert.Throws<ArgumentException>(() => BehaviourAnalysis.GroupOf("colour"));
    }
}
