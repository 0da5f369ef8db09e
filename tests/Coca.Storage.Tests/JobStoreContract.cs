using Coca.Core.Ingest;
using Coca.Core.Carbon;
using Coca.Core.Accounting;
using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>The store's behaviour, the same on SQLite and PostgreSQL: each test runs on both (PostgreSQL where installed).</summary>
public class JobStoreContract : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store");
    private static readonly CarbonInputs Carbon = CarbonInputs.Resolve(null, 100, 1.5);
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds()
    {
        var kinds = new TheoryData<string> { "sqlite" };
        if (PostgresServer.Installed) kinds.Add("postgres");
        return kinds;
    }

    [PostgresFact]
    public void Postgres_is_available_for_the_contract_tests()
    {
        using var store = JobStores.Open(PostgresServer.NewDatabase());
        Assert.Equal("postgres", store.Kind);
    }

    private IJobStore Open(string kind)
    {
        var location = kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();
        var store = JobStores.Open(location, Carbon);
        store.Migrate();
        return store;
    }

    private static AccountingJob Job(string raw, string user = "alice", string state = "COMPLETED", int? gpus = 2, int submitHour = 0, string? jobId = null) => new()
    {
        JobIdRaw = raw,
        JobId = jobId ?? raw,
        User = user,
        Account = "proj",
        Partition = "gpu",
        Nodes = "n[1-2]",
        Gpus = gpus,
        State = state,
        ExitCode = "0:0",
        Submit = T0.AddHours(submitHour),
        Start = T0.AddHours(submitHour).AddMinutes(1),
        End = T0.AddHours(submitHour + 1).AddMinutes(1),
        ElapsedS = 3600,
    };

    private static JobMeasurement Measured(string raw, string node, long gpuUj, DateTimeOffset asOf, string provenance = "measured") => new()
    {
        JobIdRaw = raw,
        Node = node,
        User = "alice",
        EnergyOnWire = [1_000_000, 500_000, gpuUj, 0],
        ProvenanceOnWire = [provenance, "estimated", "measured", "none"],
        Coverage = 0.99,
        GpuSeconds = 100,
        GpuBusySeconds = 80,
        IdleGpuSeconds = 10,
        AsOf = asOf,
        Final = true,
    };

    [Theory, MemberData(nameof(Kinds))]
    public void Migrations_run_once(string kind)
    {
        using var store = Open(kind);
        Assert.Equal(0, store.Migrate());
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Importing_the_same_jobs_twice_changes_nothing(string kind)
    {
        using var store = Open(kind);
        var jobs = new[] { Job("1"), Job("2", state: "FAILED") };
        Assert.Equal(new UpsertResult(2, 0, 0), store.UpsertAccounting(jobs));
        Assert.Equal(new UpsertResult(0, 0, 2), store.UpsertAccounting(jobs));
        Assert.Equal(new UpsertResult(0, 1, 1), store.UpsertAccounting([Job("1"), Job("2", state: "CANCELLED")]));
        Assert.Equal("CANCELLED", store.Job("2")!.State);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Job_energy_is_the_sum_over_its_nodes_and_an_older_report_never_wins(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("10")]);
        store.UpsertMeasurements([Measured("10", "n1", 7_200_000_000, T0.AddHours(2)), Measured("10", "n2", 3_600_000_000, T0.AddHours(2), "derived")]);
        Assert.Equal(new UpsertResult(0, 0, 1), store.UpsertMeasurements([Measured("10", "n1", 1, T0.AddHours(1))]));

        var job = store.Job("10")!;
        Assert.Equal(10_800_000_000, job.GpuUj);
        Assert.Equal(2_000_000, job.CpuUj);
        Assert.Equal("derived,estimated,measured,none", job.Provenance);
        Assert.Equal(0.8, job.GpuUtilisation!.Value, 9);
        Assert.Equal("COMPLETED", job.State); // Slurm's fields untouched by measurements
        var kwh = job.TotalUj!.Value / 3.6e12;
        Assert.Equal(kwh * 1.5 * 100, job.EmissionsG!.Value, 9);

        store.UpsertAccounting([Job("10", state: "FAILED")]);
        Assert.Equal(10_800_000_000, store.Job("10")!.GpuUj); // measurements untouched by accounting
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Measurement_before_accounting_creates_the_job_and_accounting_completes_it(string kind)
    {
        using var store = Open(kind);
        store.UpsertMeasurements([Measured("77", "n1", 1_000, T0)]);
        Assert.Equal("alice", store.Job("77")!.User);
        Assert.Null(store.Job("77")!.State);
        store.UpsertAccounting([Job("77", user: "alice", state: "TIMEOUT")]);
        var job = store.Job("77")!;
        Assert.Equal(("TIMEOUT", 1_000L), (job.State, job.GpuUj!.Value));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Queries_filter_by_user_account_state_and_submit_time(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("1", "alice", submitHour: 0), Job("2", "bob", "FAILED", submitHour: 5), Job("3", "alice", "FAILED", submitHour: 10),
            Job("5", "carol", submitHour: 20, jobId: "4_1")]);
        Assert.Equal(["1", "3"], store.Jobs(new JobQuery(User: "alice")).Select(j => j.JobIdRaw));
        Assert.Equal(["2", "3"], store.Jobs(new JobQuery(State: "failed")).Select(j => j.JobIdRaw));
        Assert.Equal(["2", "3"], store.Jobs(new JobQuery(Since: T0.AddHours(1), Until: T0.AddHours(11))).Select(j => j.JobIdRaw));
        Assert.Equal(4, store.Jobs(new JobQuery(Account: "proj")).Count);
        Assert.Equal("5", store.Job("4_1")!.JobIdRaw);
        Assert.Null(store.Job("404"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void User_totals_count_gpu_hours_energy_and_waste_in_jobs_that_did_not_complete(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("1"), Job("2", state: "FAILED")]);
        store.UpsertMeasurements([Measured("1", "n1", 3_600_000_000, T0), Measured("2", "n1", 1_800_000_000, T0)]);
        var alice = Assert.Single(store.Users(null));
        Assert.Equal(("alice", 2L), (alice.User, alice.Jobs));
        Assert.Equal(4.0, alice.GpuHours, 9); // 2 jobs × 2 GPUs × 1 h
        var energy = (3_601_500_000L + 1_801_500_000L) / 3.6e12;
        Assert.Equal(energy, alice.EnergyKwh!.Value, 12);
        Assert.Equal(1_801_500_000 / (3_601_500_000.0 + 1_801_500_000), alice.ShareNotCompleted!.Value, 9);
        Assert.Empty(store.Users(T0.AddDays(1)));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_replayed_batch_writes_nothing(string kind)
    {
        using var store = Open(kind);
        var writes = 0;
        Assert.True(store.TryRecordBatch("n1", 1, () => { writes++; store.UpsertMeasurements([Measured("1", "n1", 5, T0)]); }));
        Assert.False(store.TryRecordBatch("n1", 1, () => writes++));
        Assert.True(store.TryRecordBatch("n2", 1, () => writes++));
        Assert.Equal(2, writes);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_failed_batch_is_not_recorded_so_its_replay_is_applied(string kind)
    {
        using var store = Open(kind);
        Assert.Throws<InvalidOperationException>(() => store.TryRecordBatch("n1", 9, () => throw new InvalidOperationException("disk full")));
        Assert.True(store.TryRecordBatch("n1", 9, () => { }));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Tokens_are_stored_hashed_and_can_be_revoked(string kind)
    {
        using var store = Open(kind);
        var secret = store.IssueToken(TokenRoles.Agent, "n1");
        Assert.StartsWith("coca_", secret);
        var token = store.Authenticate(secret)!;
        Assert.Equal((TokenRoles.Agent, "n1"), (token.Role, token.Subject));
        Assert.Null(store.Authenticate(secret + "x"));
        Assert.Null(store.Authenticate(""));
        Assert.True(store.RevokeToken(token.TokenId));
        Assert.Null(store.Authenticate(secret));
        Assert.Throws<ArgumentException>(() => store.IssueToken("root", "x"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Series_are_idempotent_and_pruned_by_age(string kind)
    {
        using var store = Open(kind);
        var points = Enumerable.Range(0, 6).Select(i => new SeriesPoint("1", "n1", "gpu:GPU-a", T0.AddSeconds(10 * i), 1_000 * i, 250, 0.9)).ToList();
        store.UpsertSeries(points);
        store.UpsertSeries(points);
        Assert.Equal(6, store.Series("1").Count);
        Assert.Equal(3, store.PruneSeries(T0.AddSeconds(30)));
        Assert.Equal(3, store.Series("1").Count);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Bulk_load_writes_jobs_with_their_energy_and_is_idempotent(string kind)
    {
        using var store = Open(kind);
        var jobs = Enumerable.Range(0, 50).Select(i => (Job(i.ToString(System.Globalization.CultureInfo.InvariantCulture), user: i % 2 == 0 ? "alice" : "bob"), (long[]?)(i % 5 == 0 ? null : [1_000, 2_000, 3_600_000_000_000, 0]))).ToList();
        Assert.Equal(50, store.BulkLoad(jobs));
        Assert.Equal(50, store.BulkLoad(jobs));
        Assert.Equal(50, store.Jobs(new JobQuery()).Count);
        var measured = store.Job("1")!;
        Assert.Equal((3_600_000_000_000L, "measured,measured,measured,none"), (measured.GpuUj!.Value, measured.Provenance!));
        Assert.Equal(1.0 * 1.5 * 100, measured.EmissionsG!.Value, 3); // ~1 kWh × PUE 1.5 × 100 g/kWh
        Assert.Null(store.Job("0")!.TotalUj);
        Assert.True(store.JobsBytes() > 0);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Summary_sums_the_selected_jobs_by_month_and_state_as_the_listing_does(string kind)
    {
        using var store = Open(kind);
        // March and April 2026; alice's FAILED job in April; bob's job outside the query.
        store.UpsertAccounting([Job("1", submitHour: 0), Job("2", state: "FAILED", submitHour: 24 * 35), Job("3", submitHour: 24 * 40, gpus: 4), Job("4", user: "bob")]);
        store.UpsertMeasurements([Measured("1", "n1", 3_600_000_000, T0), Measured("2", "n1", 7_200_000_000, T0), Measured("4", "n1", 1, T0)]);
        var query = new JobQuery(User: "alice", Since: T0, Until: T0.AddYears(1));

        var summary = store.Summary(query);
        var listed = store.Jobs(query);

        Assert.Equal(listed.Count, summary.Total.Jobs);
        Assert.Equal(listed.Sum(j => (j.TotalUj ?? 0) / 3.6e12), summary.Total.EnergyKwh!.Value, 12);
        Assert.Equal(listed.Sum(j => j.EmissionsG ?? 0), summary.Total.EmissionsG!.Value, 9);
        Assert.Equal(2 + 2 + 4, summary.Total.GpuHours, 9);
        Assert.Equal(["2026-03", "2026-04"], summary.Months.Select(m => m.Key));
        Assert.Equal([1L, 2L], summary.Months.Select(m => m.Totals.Jobs));
        Assert.Equal(["FAILED", "COMPLETED"], summary.States.Select(s => s.Key)); // most energy first
        Assert.Equal(7_201_500_000 / (7_201_500_000.0 + 3_601_500_000), summary.ShareNotCompleted!.Value, 9);
        Assert.Equal(0, store.Summary(new JobQuery(User: "nobody")).Total.Jobs);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Rows_written_under_schema_1_read_the_same_after_the_compact_rewrite(string kind)
    {
        var location = kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();
        using var store = (Sql.SqlJobStore)JobStores.Open(location, Carbon);
        Assert.Equal(1, store.Migrate(upTo: 1));
        // As schema 1 held them: job_id repeated, provenance in words.
        store.Execute("""
            INSERT INTO jobs (job_id_raw, job_id, array_job_id, array_task_id, user_name, state, submit_ms, gpus, elapsed_s, gpu_uj, cpu_uj, provenance, emissions_g)
            VALUES ('10', '10', NULL, NULL, 'alice', 'COMPLETED', 1772352000000, 2, 3600, 7200000000, 5, 'derived,estimated,measured,none', 2.5),
                   ('11', '4_1', '4', 1, 'alice', 'FAILED', 1772355600000, 1, 60, NULL, NULL, NULL, NULL)
            """);

        Assert.Equal(Sql.Migrations.Steps.Length - 1, store.Migrate()); // step 2's rewrite, and every later step

        var job = store.Job("10")!;
        Assert.Equal(("10", "derived,estimated,measured,none", 7_200_000_000L, 2.5), (job.JobId, job.Provenance!, job.GpuUj!.Value, job.EmissionsG!.Value));
        var task = store.Job("4_1")!;
        Assert.Equal(("11", "4_1", "4", 1), (task.JobIdRaw, task.JobId, task.ArrayJobId!, task.ArrayTaskId!.Value));
        Assert.Equal(["10", "11"], store.Jobs(new JobQuery(User: "alice", Since: T0)).Select(j => j.JobIdRaw));
        store.UpsertMeasurements([Measured("10", "n1", 1_000, T0.AddDays(1))]);
        Assert.Equal("measured,estimated,measured,none", store.Job("10")!.Provenance);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
