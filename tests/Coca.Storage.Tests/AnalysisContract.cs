namespace Coca.Storage.Tests;

/// <summary>The jobs the behaviours read: in time order across the store's weekly chunks, with the figures the rules need.</summary>
public sealed class AnalysisContract : StoreFixture
{
    [Theory, MemberData(nameof(Kinds))]
    public void Jobs_stream_in_time_order_across_weeks_then_those_without_a_time_when_unbounded(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([
            Job("30") with { Submit = T0.AddDays(20) },
            Job("10") with { Submit = T0.AddDays(3) },
            Job("20") with { Submit = null, Start = T0.AddDays(9) },
            Job("40", user: "bob") with { Submit = null, Start = null },
            Job("5") with { Submit = T0 },
        ]);
        Assert.Equal(["5", "10", "20", "30", "40"], store.AnalysisJobs(new JobQuery()).Select(j => j.JobId));
        Assert.Equal(["10", "20"], store.AnalysisJobs(new JobQuery(Since: T0.AddDays(1), Until: T0.AddDays(10))).Select(j => j.JobId));
        Assert.Equal(["40"], store.AnalysisJobs(new JobQuery(User: "bob")).Select(j => j.JobId));
        Assert.Empty(store.AnalysisJobs(new JobQuery(User: "carol")));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_agents_energy_comes_first_then_Slurms_and_Slurms_GPU_utilisation_fills_in(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([
            Job("1", slurmJ: 9e6) with { Name = "train" },
            Job("2", slurmJ: 7.2e6, gpus: 2) with { TresUsageInTot = "cpu=00:10:00,gres/gpuutil=30" },
            Job("3", slurmJ: null, state: "FAILED"),
        ]);
        store.UpsertMeasurements([Measured("1", "n1", 3_600_000_000)]);
        var jobs = store.AnalysisJobs(new JobQuery()).ToDictionary(j => j.JobId);
        Assert.Equal((3600.0, 3600.0, "measured", 0.5, "agent"), (jobs["1"].EnergyJ!.Value, jobs["1"].AgentGpuEnergyJ!.Value, jobs["1"].EnergySource, jobs["1"].GpuUtilisation!.Value, jobs["1"].GpuUtilisationSource));
        Assert.Equal((7.2e6, "slurm", (double?)null, 0.15, "slurm"), (jobs["2"].EnergyJ!.Value, jobs["2"].EnergySource, jobs["2"].AgentGpuEnergyJ, jobs["2"].GpuUtilisation!.Value, jobs["2"].GpuUtilisationSource));
        Assert.Equal(((double?)null, (string?)null, "FAILED"), (jobs["3"].EnergyJ, jobs["3"].EnergySource, jobs["3"].State));
        Assert.NotEqual(0, jobs["1"].Fingerprint); // written by the accounting import (name, submit line, work dir)
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Agent_data_plants_unused_gpus_and_the_tail_after_the_last_GPU_activity_and_their_near_misses_do_not_fire(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("1", gpus: 4), Job("2", gpus: 4), Job("3"), Job("4")]);
        const long Kwh = 3_600_000_000_000;
        store.UpsertMeasurements([
            Measured("1", "n1", 4 * Kwh) with { UnusedGpus = 1, UnusedGpuUj = Kwh },                // one of four GPUs never worked
            Measured("2", "n1", 4 * Kwh) with { UnusedGpus = 0, UnusedGpuUj = 0 },                  // all four worked
            Measured("3", "n1", Kwh) with { LastGpuActivity = T0.AddMinutes(30), EnergyAfterLastGpuActivityUj = Kwh / 5 },   // 20 % after
            Measured("4", "n1", Kwh) with { LastGpuActivity = T0.AddMinutes(50), EnergyAfterLastGpuActivityUj = Kwh / 20 },  // 5 % after
        ]);
        var found = new List<Core.Analysis.Finding>();
        var analysis = new Core.Analysis.BehaviourAnalysis(Core.Analysis.BehaviourRules.Defaults, Carbon, found.Add);
        foreach (var job in store.AnalysisJobs(new JobQuery())) analysis.Add(job);
        analysis.Finish();
        Assert.Equal(["tail_after_gpu_activity:3", "unused_gpus:1"], found.Select(f => f.Kind + ":" + f.Jobs[0]).Order(StringComparer.Ordinal));
        Assert.Equal(1.0, found.Single(f => f.Kind == "unused_gpus").WastedKwh!.Value, 9);
        Assert.Equal(0.2, found.Single(f => f.Kind == "tail_after_gpu_activity").WastedKwh!.Value, 9);
    }
}
