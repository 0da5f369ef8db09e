using Coca.Core.Analysis;
using static Coca.Core.Tests.Analysis.Jobs;

namespace Coca.Core.Tests.Analysis;

public sealed class JobRulesTests
{
    private static List<Finding> Of(AnalysisJob job) => Analyse([job]).Findings;

    private static Finding Only(AnalysisJob job, string kind) => Assert.Single(Of(job), f => f.Kind == kind);

    [Fact]
    public void A_job_that_did_not_complete_within_ten_minutes_is_failed_early_and_after_is_failed_late_with_its_energy_wasted()
    {
        var early = Only(Job("1", "FAILED", elapsedS: 600, energyKwh: 0.5), BehaviourKind.FailedEarly);
        Assert.Equal((0.5, 0.5, 50.0), (early.EnergyKwh!.Value, early.WastedKwh!.Value, early.EmissionsG!.Value), Tolerance());
        Assert.Equal(10.0, early.Detail("threshold_max_minutes"));
        Assert.Single(Of(Job("2", "TIMEOUT", elapsedS: 601)), f => f.Kind == BehaviourKind.FailedLate);
        Assert.Single(Of(Job("3", "OUT_OF_MEMORY", elapsedS: 7200)), f => f.Kind == BehaviourKind.FailedLate);
    }

    [Fact]
    public void A_completed_job_a_running_one_and_one_cancelled_before_it_started_are_not_failures()
    {
        Assert.DoesNotContain(Of(Job("1", "COMPLETED", elapsedS: 60)), f => f.Kind is BehaviourKind.FailedEarly or BehaviourKind.FailedLate);
        Assert.DoesNotContain(Of(Job("2", "RUNNING", elapsedS: 60)), f => f.Kind is BehaviourKind.FailedEarly or BehaviourKind.FailedLate);
        Assert.Empty(Of(Job("3", "CANCELLED", elapsedS: 0)));
    }

    [Fact]
    public void A_failed_job_of_unknown_energy_is_named_with_null_energy_never_zero()
    {
        var f = Only(Job("1", "FAILED", elapsedS: 60, energyKwh: null), BehaviourKind.FailedEarly);
        Assert.Equal(((double?)null, (double?)null, (double?)null, "unknown"), (f.EnergyKwh, f.WastedKwh, f.EmissionsG, f.Provenance));
    }

    [Fact]
    public void GPUs_at_zero_for_more_than_five_minutes_waste_their_GPU_energy_and_five_minutes_exactly_does_not_fire()
    {
        var f = Only(Job("1", elapsedS: 301, util: 0, energyKwh: 1, gpuKwh: 0.6), BehaviourKind.ZeroGpu);
        Assert.Equal(0.6, f.WastedKwh!.Value, 9);
        Assert.Empty(Of(Job("2", elapsedS: 300, util: 0)));
        Assert.Empty(Of(Job("3", elapsedS: 3600, util: 0, gpus: 0)));
    }

    [Fact]
    public void With_Slurm_energy_only_zero_gpu_wastes_the_whole_energy_and_says_the_GPU_share_is_unknown()
    {
        var job = Job("1", elapsedS: 3600, util: 0, energyKwh: null) with { SlurmEnergyJ = 2 * Kwh, GpuUtilisationSource = "slurm" };
        var f = Only(job, BehaviourKind.ZeroGpu);
        Assert.Equal((2.0, "slurm"), (f.WastedKwh!.Value, f.Provenance));
        Assert.Contains("not known", (string)f.Detail("wasted_basis")!, StringComparison.Ordinal);
        Assert.Equal(2 * 100.0, f.EmissionsG!.Value, 6); // the site's 100 g/kWh, PUE 1
    }

    [Fact]
    public void Low_GPU_use_wastes_the_idle_share_of_the_GPU_energy_at_fifteen_percent_and_not_above()
    {
        var f = Only(Job("1", elapsedS: 31 * 60, util: 0.15, gpuKwh: 1), BehaviourKind.LowGpu);
        Assert.Equal(0.85, f.WastedKwh!.Value, 9);
        Assert.Empty(Of(Job("2", elapsedS: 31 * 60, util: 0.16)));
        Assert.Empty(Of(Job("3", elapsedS: 30 * 60, util: 0.1)));
    }

    [Fact]
    public void An_interactive_session_idle_for_over_eight_hours_is_idle_interactive_rather_than_low_gpu()
    {
        var session = Job("1", elapsedS: 8 * 3600 + 1, util: 0.1, gpuKwh: 2) with { Partition = "interactive" };
        var f = Only(session, BehaviourKind.IdleInteractive);
        Assert.Equal(1.8, f.WastedKwh!.Value, 9);
        Assert.DoesNotContain(Of(session), x => x.Kind == BehaviourKind.LowGpu);
        Assert.Single(Of(session with { ElapsedS = 8 * 3600 }), x => x.Kind == BehaviourKind.LowGpu);
        Assert.Single(Of(Job("2", elapsedS: 9 * 3600, util: 0.1) with { Name = "sys/dashboard/sys/jupyter" }), x => x.Kind == BehaviourKind.IdleInteractive);
        Assert.Single(Of(Job("3", elapsedS: 9 * 3600, util: 0.1) with { Interactive = true }), x => x.Kind == BehaviourKind.IdleInteractive);
    }

    [Fact]
    public void A_GPU_below_half_use_while_the_CPUs_were_ninety_percent_busy_is_dataloader_bound()
    {
        var busy = Job("1", elapsedS: 3600, util: 0.4, gpuKwh: 1) with { TotalCpuS = 0.95 * 3600 * 8, AllocCpus = 8 };
        var f = Only(busy, BehaviourKind.DataloaderBound);
        Assert.Equal((0.6, 0.95), (f.WastedKwh!.Value, (double)f.Detail("cpu_busy")!), Tolerance());
        Assert.Empty(Of(busy with { TotalCpuS = 0.85 * 3600 * 8 }));
        Assert.Empty(Of(busy with { GpuUtilisation = 0.5 }));
        Assert.Empty(Of(busy with { AllocCpus = null }));
    }

    [Fact]
    public void Some_GPUs_never_used_waste_their_own_energy_and_all_of_them_is_zero_gpu_instead()
    {
        var job = Job("1", gpus: 4, util: 0.6) with { UnusedGpus = 1, UnusedGpuEnergyJ = 0.2 * Kwh };
        Assert.Equal(0.2, Only(job, BehaviourKind.UnusedGpus).WastedKwh!.Value, 9);
        var all = job with { UnusedGpus = 4, GpuUtilisation = 0 };
        Assert.DoesNotContain(Of(all), f => f.Kind == BehaviourKind.UnusedGpus);
        Assert.Single(Of(all), f => f.Kind == BehaviourKind.ZeroGpu);
    }

    [Fact]
    public void Energy_after_the_last_GPU_activity_above_ten_percent_is_a_tail_and_ten_percent_is_not()
    {
        var f = Only(Job("1", energyKwh: 1) with { EnergyAfterLastGpuActivityJ = 0.11 * Kwh }, BehaviourKind.TailAfterGpuActivity);
        Assert.Equal(0.11, f.WastedKwh!.Value, 9);
        Assert.Empty(Of(Job("2", energyKwh: 1) with { EnergyAfterLastGpuActivityJ = 0.10 * Kwh }));
    }

    [Fact]
    public void A_threshold_from_the_rules_moves_the_boundary()
    {
        var rules = new BehaviourRules { FailedEarlyMinutes = 30 };
        Assert.Single(Analyse([Job("1", "FAILED", elapsedS: 20 * 60)], rules).Findings, f => f.Kind == BehaviourKind.FailedEarly);
    }

    private static Comparer Tolerance() => new();

    private sealed class Comparer : IEqualityComparer<(double, double, double)>, IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) => Near(a.Item1, b.Item1) && Near(a.Item2, b.Item2) && Near(a.Item3, b.Item3);
        public bool Equals((double, double) a, (double, double) b) => Near(a.Item1, b.Item1) && Near(a.Item2, b.Item2);
        public int GetHashCode((double, double, double) obj) => 0;
        public int GetHashCode((double, double) obj) => 0;
        private static bool Near(double a, double b) => Math.Abs(a - b) < 1e-9;
    }
}
