using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's fixture, dated from now so that it falls in "the last 30 days": alice's jobs 101 (completed, two
/// GPUs with a stored series) and 102 (failed), bob's 201 (with a series).
/// </summary>
internal static class DashboardData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static IReadOnlyList<AccountingJob> Accounting =>
    [
        Job("101", "alice", "COMPLETED", Now.AddDays(-2), 3600, gpus: 2),
        Job("102", "alice", "FAILED", Now.AddDays(-1), 120, gpus: 1),
        Job("201", "bob", "COMPLETED", Now.AddDays(-3), 1800, gpus: 1),
    ];

    public static void Seed(IJobStore store)
    {
        store.UpsertMeasurements([Measure("101", "alice", 7_200_000_000_000), Measure("102", "alice", 36_000_000_000), Measure("201", "bob", 1_800_000_000_000)]);
        store.UpsertSeries([.. Series("101", "GPU-a", 250), .. Series("101", "GPU-b", 300), .. Series("201", "GPU-c", 200)]);
    }

    /// <summary>Twenty points a minute apart; power steps by 5 W, the energy is cumulative.</summary>
    public static IEnumerable<SeriesPoint> Series(string job, string gpu, double watts)
    {
        var start = Now.AddDays(-2);
        for (var i = 0; i < 20; i++)
        {
            yield return new SeriesPoint(job, "n1", "gpu:" + gpu, start.AddMinutes(i), (long)(watts * 60 * i * 1e6), watts + 5 * (i % 3), 0.5 + 0.02 * i);
        }
    }

    private static AccountingJob Job(string id, string user, string state, DateTimeOffset submit, long elapsed, int gpus) => new()
    {
        JobIdRaw = id, JobId = id, User = user, Account = "proj-" + user, Partition = "gpu", Nodes = "n1", State = state, Gpus = gpus,
        Submit = submit, Start = submit.AddMinutes(1), End = submit.AddMinutes(1).AddSeconds(elapsed), ElapsedS = elapsed, Name = "train-" + id,
    };

    private static JobMeasurement Measure(string job, string user, long gpuUj) => new()
    {
        JobIdRaw = job, Node = "n1", User = user, EnergyOnWire = [0, 0, gpuUj, 0], ProvenanceOnWire = ["none", "none", "measured", "none"],
        AsOf = Now, Final = true,
    };
}
