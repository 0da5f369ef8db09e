using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Coca.Core.Jobs;
using Coca.Core.Metrics;
using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>Jobs' metrics and sweeps by fingerprint, the same on SQLite and PostgreSQL.</summary>
public class MetricsContract : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private IJobStore Open(string kind) => OpenAt(NewLocation(kind));

    private string NewLocation(string kind) => kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();

    private static IJobStore OpenAt(string location)
    {
        var store = JobStores.Open(location, CarbonInputs.Resolve(null, 100, 1.0));
        store.Migrate();
        return store;
    }

    private static JobMetric M(string job, string name, double value, long step, DateTimeOffset? t = null) => new(job, new MetricPoint(name, value, step, t));

    [Theory]
    [MemberData(nameof(JobStoreContract.Kinds), MemberType = typeof(JobStoreContract))]
    public void An_import_is_idempotent_a_changed_value_replaces_and_reads_come_back_in_step_order(string kind)
    {
        using var store = Open(kind);
        var first = store.ImportMetrics([M("101", "accuracy", 0.8, 1), M("101", "accuracy", 0.7, 0, T0), M("102", "accuracy", 0.9, 0), M("101", "loss", 0.3, 0)]);
        var again = store.ImportMetrics([M("101", "accuracy", 0.8, 1), M("101", "accuracy", 0.75, 0, T0)]);

        Assert.Equal(new MetricImportResult(4, 0), first);
        Assert.Equal(new MetricImportResult(1, 1), again);
        var read = store.Metrics(["101", "103"], "accuracy");
        Assert.Equal([(0L, 0.75, (DateTimeOffset?)T0), (1L, 0.8, null)], read.Select(m => (m.Point.Step!.Value, m.Point.Value, m.Point.Time)));
    }

    [Theory]
    [MemberData(nameof(JobStoreContract.Kinds), MemberType = typeof(JobStoreContract))]
    public void A_sweep_is_the_jobs_of_one_fingerprint(string kind)
    {
        using var store = Open(kind);
        AccountingJob Job(string id, string submit) => new()
        {
            JobIdRaw = id, JobId = id, User = "alice", Name = "sweep", SubmitLine = submit, WorkDir = "/home/alice/p",
            State = "COMPLETED", Submit = T0, Start = T0, End = T0.AddHours(1), ElapsedS = 3600,
        };
        store.UpsertAccounting([Job("1", "sbatch --lr=0.1 train.sh"), Job("2", "sbatch --lr=0.2 train.sh"), Job("3", "sbatch eval.sh")]);
        var fingerprint = JobFingerprint.Of("sweep", "sbatch --lr=0.1 train.sh", "/home/alice/p");

        Assert.Equal(["1", "2"], store.Jobs(new JobQuery { Fingerprint = fingerprint }).Select(j => j.JobIdRaw).Order());
    }

    [Theory]
    [MemberData(nameof(JobStoreContract.Kinds), MemberType = typeof(JobStoreContract))]
    public void A_jobs_metrics_are_found_by_the_id_users_know_whether_filed_under_it_or_the_raw_id(string kind)
    {
        using var store = Open(kind);
        AccountingJob Task(string raw, string id) => new() { JobIdRaw = raw, JobId = id, User = "alice", State = "COMPLETED", Submit = T0 };
        store.UpsertAccounting([Task("1601", "160_0"), Task("1602", "160_1"), Task("1603", "160_2")]);
        store.ImportMetrics([M("1601", "loss", 2, 0), M("160_1", "loss", 3, 0), M("1601", "accuracy", 0.5, 1), M("999", "loss", 1, 0)]);

        var found = store.MetricsOfJobs(["160_0", "160_1", "160_2"]);
        Assert.Equal([("160_0", "accuracy", 0.5), ("160_0", "loss", 2.0), ("160_1", "loss", 3.0)], found.Select(m => (m.JobId, m.Point.Name, m.Point.Value)));
    }

    [Theory]
    [MemberData(nameof(JobStoreContract.Kinds), MemberType = typeof(JobStoreContract))]
    public void The_ids_with_metrics_are_every_key_and_the_id_users_know_of_each_raw_key_and_a_lookup_skips_the_rest(string kind)
    {
        var location = NewLocation(kind);
        using var store = OpenAt(location);
        AccountingJob Task(string raw, string id) => new() { JobIdRaw = raw, JobId = id, User = "alice", State = "COMPLETED", Submit = T0 };
        store.UpsertAccounting([Task("1601", "160_0"), Task("1602", "160_1"), Task("1603", "160_2")]);
        store.ImportMetrics([M("1601", "loss", 2, 0), M("160_1", "loss", 3, 0), M("999", "loss", 1, 0)]);

        Assert.Equal(["1601", "160_0", "160_1", "999"], store.JobsWithMetrics().Order(StringComparer.Ordinal));
        // The behaviours' lookup gives what MetricsOfJobs gives for the same ids, asking only for those that have any.
        using var lookup = new MetricsLookup(() => OpenAt(location));
        Assert.Equal(store.MetricsOfJobs(["160_0", "160_1", "160_2"]), lookup.Of(["160_0", "160_1", "160_2"]));
        Assert.Empty(lookup.Of(["160_2", "42"]));
    }

    public void Dispose() => _dir.Dispose();
}
