namespace Coca.Storage.Tests;

/// <summary>What accounting can bring into the store and what readers make of it.</summary>
public sealed class AccountingGuardContract : StoreFixture
{
    [Theory, MemberData(nameof(Kinds))]
    public void A_non_finite_slurm_energy_is_stored_unknown_and_loses_no_other_job_nor_breaks_listings(string kind)
    {
        using var store = Open(kind);
        var result = store.UpsertAccounting([Job("1", slurmJ: 10), Job("2", slurmJ: double.NaN), Job("3", slurmJ: double.PositiveInfinity), Job("4", slurmJ: -1), Job("5", slurmJ: 50)]);
        Assert.Equal(5, result.Inserted);
        var jobs = store.Jobs(new JobQuery());
        Assert.Equal([10.0, null, null, null, 50.0], jobs.Select(j => j.SlurmEnergyJ));
        Assert.All(jobs, j => System.Text.Json.JsonSerializer.Serialize(Coca.Storage.Json.JobJson.From(j), Coca.Storage.Json.StoreJsonContext.Relaxed.JobJson));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Gpu_utilisation_is_the_agents_where_measured_else_slurms_gpuutil_labelled(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("1") with { TresUsageInTot = "cpu=00:01:00,gres/gpuutil=160" }, Job("2") with { TresUsageInTot = "gres/gpuutil=160" }, Job("3", gpus: 0)]);
        store.UpsertMeasurements([Measured("2", "n1", 1_000)]);
        var slurm = store.Job("1")!;
        Assert.Equal((0.8, "slurm"), (slurm.GpuUtilisation!.Value, slurm.GpuUtilisationSource!));
        var agent = store.Job("2")!;
        Assert.Equal((0.5, "agent"), (agent.GpuUtilisation!.Value, agent.GpuUtilisationSource!));
        var cpu = store.Job("3")!;
        Assert.Equal((0, (double?)null, (string?)null), (cpu.Gpus!.Value, cpu.GpuUtilisation, cpu.GpuUtilisationSource));
    }
}
