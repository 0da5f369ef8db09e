using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Coca.Core.Ingest;
using Coca.Storage.Sql;
using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>Issue 13's agent figures (unused GPUs, framework, interactive) through ingest into job_nodes and the job row, on both stores.</summary>
public sealed class ActivityContract : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds() => JobStoreContract.Kinds();

    private SqlJobStore Open(string kind)
    {
        var location = kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();
        var store = (SqlJobStore)JobStores.Open(location, CarbonInputs.Resolve(null, 100, 1.5));
        store.Migrate();
        store.UpsertAccounting([new AccountingJob { JobIdRaw = "10", JobId = "10", User = "alice", Nodes = "n[1-2]", State = "COMPLETED", Start = T0, End = T0.AddHours(1) }]);
        return store;
    }

    private static JobMeasurement Measured(string node, int? unused, long? unusedUj, string? framework, bool? interactive, int minute = 0) => new()
    {
        JobIdRaw = "10",
        Node = node,
        User = "alice",
        EnergyOnWire = [1_000, 500, 2_000_000, 0],
        ProvenanceOnWire = ["measured", "measured", "measured", "none"],
        Coverage = 1,
        UnusedGpus = unused,
        UnusedGpuUj = unusedUj,
        Framework = framework,
        Interactive = interactive,
        AsOf = T0.AddMinutes(61 + minute),
    };

    private static (long? Unused, long? UnusedUj, string? Framework, long? Interactive) JobRow(SqlJobStore store) =>
        store.Session.Rows("SELECT unused_gpus, unused_gpu_uj, framework, interactive FROM jobs WHERE job_id_raw = '10'")
            .Select(r => (r.IsDBNull(0) ? (long?)null : r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? (long?)null : r.GetInt64(3)))
            .Single();

    [Theory, MemberData(nameof(Kinds))]
    public void Unused_gpus_are_summed_over_nodes_the_most_specific_framework_wins_and_batch_beats_unknown(string kind)
    {
        using var store = Open(kind);
        store.UpsertMeasurements([Measured("n1", 1, 500_000, "cuda", null), Measured("n2", 0, 0, "pytorch", false)]);
        Assert.Equal((1L, 500_000L, "pytorch", 0L), JobRow(store));
        var n1 = store.Session.Rows("SELECT unused_gpus, unused_gpu_uj, framework, interactive FROM job_nodes WHERE node = 'n1'")
            .Select(r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3))).Single();
        Assert.Equal((1L, 500_000L, "cuda", true), n1);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void All_gpus_used_is_zero_not_unknown_and_a_newer_report_replaces_the_figures(string kind)
    {
        using var store = Open(kind);
        store.UpsertMeasurements([Measured("n1", 1, 300, "cuda", true)]);
        store.UpsertMeasurements([Measured("n1", 0, 0, "jax", true, minute: 1)]);
        Assert.Equal((0L, 0L, "jax", 1L), JobRow(store));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_node_whose_agent_predates_the_figures_makes_the_unused_gpus_unknown(string kind)
    {
        using var store = Open(kind);
        store.UpsertMeasurements([Measured("n1", null, null, null, null)]);
        Assert.Equal(((long?)null, (long?)null, (string?)null, (long?)null), JobRow(store));
        store.UpsertMeasurements([Measured("n2", 2, 900, "tensorflow", true)]);
        Assert.Equal(((long?)null, (long?)null, "tensorflow", 1L), JobRow(store)); // n1's part is not known: no sum
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Interactive_from_accounting_is_kept_over_the_agents(string kind)
    {
        using var store = Open(kind);
        store.Session.Execute("UPDATE jobs SET interactive = 1 WHERE job_id_raw = '10'"); // as the accounting import sets it
        store.UpsertMeasurements([Measured("n1", 0, 0, null, false)]);
        Assert.Equal(1L, JobRow(store).Interactive);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
