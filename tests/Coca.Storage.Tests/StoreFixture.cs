using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Coca.Core.Ingest;
using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>Stores of both kinds (PostgreSQL where installed) and jobs built in code, for the contract tests.</summary>
public abstract class StoreFixture : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store");
    protected static readonly CarbonInputs Carbon = CarbonInputs.Resolve(null, 100, 1.5);
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds()
    {
        var kinds = new TheoryData<string> { "sqlite" };
        if (PostgresServer.Installed) kinds.Add("postgres");
        return kinds;
    }

    protected string Location(string kind) => kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();

    protected IJobStore Open(string kind)
    {
        var store = JobStores.Open(Location(kind), Carbon);
        store.Migrate();
        return store;
    }

    protected static AccountingJob Job(string raw, string user = "alice", string? state = "COMPLETED", int? gpus = 2, string? nodes = "n1", double? slurmJ = null) => new()
    {
        JobIdRaw = raw,
        JobId = raw,
        User = user,
        Account = "proj",
        Nodes = nodes,
        Gpus = gpus,
        State = state,
        Submit = T0,
        Start = T0.AddMinutes(1),
        End = T0.AddHours(1).AddMinutes(1),
        ElapsedS = 3600,
        SlurmEnergyJ = slurmJ,
    };

    protected static JobMeasurement Measured(string raw, string node, long gpuUj, string? user = "alice", DateTimeOffset? asOf = null) => new()
    {
        JobIdRaw = raw,
        Node = node,
        User = user,
        EnergyOnWire = [0, 0, gpuUj, 0],
        ProvenanceOnWire = ["none", "none", "measured", "none"],
        Coverage = 1,
        GpuSeconds = 100,
        GpuBusySeconds = 50,
        AsOf = asOf ?? T0.AddHours(2),
        Final = true,
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
