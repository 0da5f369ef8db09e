using Coca.Core.Ingest;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coca.Core.Carbon;
using Coca.Core.Units;
using Coca.Core.Accounting;

namespace Coca.Storage.Sql;

/// <summary>
/// <see cref="IJobStore"/> in plain SQL over ADO.NET, for SQLite and PostgreSQL alike. One instance
/// holds one connection: open one per thread or request (connections are pooled).
/// </summary>
public sealed class SqlJobStore : IJobStore
{
    private const int Chunk = 500;

    private static readonly string[] AccountingColumns =
    [
        "job_id", "array_job_id", "array_task_id", "name", "user_name", "group_name", "account", "partition_name", "nodes", "gpus",
        "state", "exit_code", "submit_ms", "start_ms", "end_ms", "elapsed_s", "slurm_energy_j", "tres_usage", "comment",
    ];

    private readonly DbConnection _connection;
    private readonly SqlDialect _dialect;
    private readonly CarbonInputs _carbon;
    private DbTransaction? _transaction;

    public SqlJobStore(DbConnection connection, SqlDialect dialect, CarbonInputs carbon)
    {
        _connection = connection;
        _dialect = dialect;
        _carbon = carbon;
    }

    public string Kind => _dialect.Kind;

    public int Migrate() => Migrate(int.MaxValue);

    /// <summary>Applies the steps up to a version: tests build an older schema this way to check the next step's rewrite.</summary>
    internal int Migrate(int upTo)
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
        var applied = 0;
        InTransaction(() =>
        {
            if (_dialect == SqlDialect.Postgres) Execute("SELECT pg_advisory_xact_lock(4242004)"); // several servers may start at once
            var current = Convert.ToInt32(Scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0, CultureInfo.InvariantCulture);
            foreach (var step in Migrations.Steps.Where(s => s.Version > current && s.Version <= upTo))
            {
                var (version, description) = (step.Version, step.Description);
                foreach (var statement in step.For(_dialect).Split(';').Select(s => s.Trim()).Where(s => s.Length > 0)) Execute(statement);
                Execute("INSERT INTO schema_migrations (version, description, applied_ms) VALUES (@v, @d, @t)", ("v", version), ("d", description), ("t", NowMs()));
                applied++;
            }
        });
        return applied;
    }

    public UpsertResult UpsertAccounting(IReadOnlyList<AccountingJob> jobs)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        var columns = string.Join(", ", AccountingColumns);
        var values = string.Join(", ", AccountingColumns.Select(c => "@" + c));
        var set = string.Join(", ", AccountingColumns.Select(c => $"{c} = excluded.{c}"));
        var changed = string.Join(" OR ", AccountingColumns.Select(c => $"jobs.{c} {_dialect.DistinctFrom} excluded.{c}"));
        var sql = $"INSERT INTO jobs (job_id_raw, {columns}) VALUES (@job_id_raw, {values}) ON CONFLICT (job_id_raw) DO UPDATE SET {set} WHERE {changed}";
        foreach (var chunk in jobs.Chunk(Chunk))
        {
            InTransaction(() =>
            {
                var existing = Existing(chunk.Select(j => j.JobIdRaw).ToList());
                using var command = Command(sql);
                foreach (var j in chunk)
                {
                    Bind(command, ("job_id_raw", j.JobIdRaw), ("job_id", StoredJobId(j)), ("array_job_id", j.ArrayJobId), ("array_task_id", j.ArrayTaskId),
                        ("name", j.Name), ("user_name", j.User), ("group_name", j.Group), ("account", j.Account), ("partition_name", j.Partition),
                        ("nodes", j.Nodes), ("gpus", j.Gpus), ("state", j.State), ("exit_code", j.ExitCode), ("submit_ms", Ms(j.Submit)),
                        ("start_ms", Ms(j.Start)), ("end_ms", Ms(j.End)), ("elapsed_s", j.ElapsedS), ("slurm_energy_j", j.SlurmEnergyJ),
                        ("tres_usage", j.TresUsageInTot), ("comment", j.Comment));
                    var rows = command.ExecuteNonQuery();
                    if (rows == 0) unchanged++;
                    else if (existing.Contains(j.JobIdRaw)) updated++;
                    else inserted++;
                }
            });
        }
        return new UpsertResult(inserted, updated, unchanged);
    }

    public UpsertResult UpsertMeasurements(IReadOnlyList<JobMeasurement> measurements)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        InTransaction(() =>
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var existing = Existing(measurements.Select(m => m.JobIdRaw).ToList(), "job_nodes");
            using var command = Command("""
                INSERT INTO job_nodes (job_id_raw, node, user_name, start_ms, end_ms, cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage,
                                       gpu_seconds, gpu_busy_seconds, idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, final, as_of_ms)
                VALUES (@job, @node, @user, @start, @end, @cpu, @dram, @gpu, @other, @prov, @coverage, @gs, @gbs, @idle, @last, @after, @final, @asof)
                ON CONFLICT (job_id_raw, node) DO UPDATE SET
                    user_name = excluded.user_name, start_ms = excluded.start_ms, end_ms = excluded.end_ms, cpu_uj = excluded.cpu_uj,
                    dram_uj = excluded.dram_uj, gpu_uj = excluded.gpu_uj, other_uj = excluded.other_uj, provenance = excluded.provenance,
                    coverage = excluded.coverage, gpu_seconds = excluded.gpu_seconds, gpu_busy_seconds = excluded.gpu_busy_seconds,
                    idle_gpu_s = excluded.idle_gpu_s, last_gpu_activity_ms = excluded.last_gpu_activity_ms,
                    after_last_activity_uj = excluded.after_last_activity_uj, final = excluded.final, as_of_ms = excluded.as_of_ms
                WHERE job_nodes.as_of_ms < excluded.as_of_ms
                """);
            foreach (var m in measurements)
            {
                Bind(command, ("job", m.JobIdRaw), ("node", m.Node), ("user", m.User), ("start", Ms(m.Start)), ("end", Ms(m.End)),
                    ("cpu", m.EnergyUj[0]), ("dram", m.EnergyUj[1]), ("gpu", m.EnergyUj[2]), ("other", m.EnergyUj[3]),
                    ("prov", ProvenanceColumn.Encode(m.Provenance)), ("coverage", m.Coverage), ("gs", m.GpuSeconds), ("gbs", m.GpuBusySeconds),
                    ("idle", m.IdleGpuSeconds), ("last", Ms(m.LastGpuActivity)), ("after", m.EnergyAfterLastGpuActivityUj),
                    ("final", m.Final ? 1 : 0), ("asof", Ms(m.AsOf)));
                if (command.ExecuteNonQuery() == 0)
                {
                    unchanged++;
                    continue;
                }
                if (existing.Contains(m.JobIdRaw)) updated++;
                else inserted++;
                touched.Add(m.JobIdRaw);
            }
            foreach (var job in touched) RefreshJobTotals(job);
        });
        return new UpsertResult(inserted, updated, unchanged);
    }

    // The job's figures are the sum over its nodes; provenance the weakest per component.
    private void RefreshJobTotals(string job)
    {
        long cpu = 0, dram = 0, gpu = 0, other = 0, after = 0;
        double gpuSeconds = 0, busy = 0, idle = 0, coverage = 1;
        long? last = null, start = null, end = null;
        string? user = null;
        var provenance = new Provenance[4];
        foreach (var reader in Rows("SELECT cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage, gpu_seconds, gpu_busy_seconds, idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, user_name, start_ms, end_ms FROM job_nodes WHERE job_id_raw = @job", ("job", job)))
        {
            cpu += reader.GetInt64(0);
            dram += reader.GetInt64(1);
            gpu += reader.GetInt64(2);
            other += reader.GetInt64(3);
            var parts = ProvenanceColumn.Decode(reader.GetString(4));
            for (var c = 0; c < 4 && c < parts.Length; c++) provenance[c] = provenance[c].Combine(parts[c]);
            coverage = Math.Min(coverage, reader.GetDouble(5));
            gpuSeconds += reader.GetDouble(6);
            busy += reader.GetDouble(7);
            idle += reader.GetDouble(8);
            if (!reader.IsDBNull(9)) last = Math.Max(last ?? 0, reader.GetInt64(9));
            after += reader.GetInt64(10);
            if (!reader.IsDBNull(11)) user ??= reader.GetString(11);
            if (!reader.IsDBNull(12)) start = Math.Min(start ?? long.MaxValue, reader.GetInt64(12));
            if (!reader.IsDBNull(13)) end = Math.Max(end ?? 0, reader.GetInt64(13));
        }
        var totalJ = (cpu + dram + gpu + other) / 1e6;
        Execute("INSERT INTO jobs (job_id_raw, user_name, start_ms, end_ms) VALUES (@job, @user, @start, @end) ON CONFLICT (job_id_raw) DO NOTHING",
            ("job", job), ("user", user), ("start", start), ("end", end));
        Execute("""
            UPDATE jobs SET cpu_uj = @cpu, dram_uj = @dram, gpu_uj = @gpu, other_uj = @other, provenance = @prov, coverage = @coverage,
                gpu_util = @util, idle_gpu_s = @idle, last_gpu_activity_ms = @last, after_last_activity_uj = @after,
                pue = @pue, carbon_intensity = @intensity, emissions_g = @emissions,
                user_name = COALESCE(user_name, @user), start_ms = COALESCE(start_ms, @start), end_ms = COALESCE(end_ms, @end)
            WHERE job_id_raw = @job
            """,
            ("job", job), ("cpu", cpu), ("dram", dram), ("gpu", gpu), ("other", other),
            ("prov", ProvenanceColumn.Encode(provenance)), ("coverage", coverage),
            ("util", gpuSeconds > 0 ? busy / gpuSeconds : null), ("idle", idle), ("last", last), ("after", after),
            ("pue", _carbon.Pue), ("intensity", _carbon.GramsPerKwh), ("emissions", CarbonCalculator.EmissionsGrams(totalJ, _carbon)),
            ("user", user), ("start", start), ("end", end));
    }

    public void UpsertSeries(IReadOnlyList<SeriesPoint> points)
    {
        InTransaction(() =>
        {
            using var command = Command("""
                INSERT INTO series (job_id_raw, node, device, t_ms, energy_uj, power_w, util) VALUES (@job, @node, @device, @t, @e, @p, @u)
                ON CONFLICT (job_id_raw, node, device, t_ms) DO NOTHING
                """);
            foreach (var p in points)
            {
                Bind(command, ("job", p.JobIdRaw), ("node", p.Node), ("device", p.Device), ("t", Ms(p.Time)), ("e", p.EnergyUj), ("p", p.PowerW), ("u", p.Utilisation));
                command.ExecuteNonQuery();
            }
        });
    }

    private static readonly string[] BulkColumns = [.. AccountingColumns, "cpu_uj", "dram_uj", "gpu_uj", "other_uj", "provenance", "pue", "carbon_intensity", "emissions_g"];

    public long BulkLoad(IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs)
    {
        if (_connection is Npgsql.NpgsqlConnection postgres) return BulkLoadPostgres(postgres, jobs);
        long written = 0;
        var columns = string.Join(", ", BulkColumns);
        var sql = $"INSERT INTO jobs (job_id_raw, {columns}) VALUES ({string.Join(", ", Enumerable.Range(1, BulkColumns.Length + 1).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))}) " +
                  $"ON CONFLICT (job_id_raw) DO UPDATE SET {string.Join(", ", BulkColumns.Select(c => $"{c} = excluded.{c}"))}";
        var values = new object?[BulkColumns.Length + 1];
        foreach (var chunk in jobs.Chunk(20_000))
        {
            InTransaction(() =>
            {
                using var insert = new SqliteBulkInsert((Microsoft.Data.Sqlite.SqliteConnection)_connection, sql);
                foreach (var (j, e) in chunk)
                {
                    BulkValues(j, e, values);
                    written += insert.Run(values);
                }
            });
        }
        return written;
    }

    // In the order of job_id_raw then BulkColumns.
    private void BulkValues(AccountingJob j, long[]? e, object?[] v)
    {
        var total = e is null ? (double?)null : e.Sum() / 1e6;
        v[0] = j.JobIdRaw; v[1] = StoredJobId(j); v[2] = j.ArrayJobId; v[3] = j.ArrayTaskId; v[4] = j.Name; v[5] = j.User; v[6] = j.Group;
        v[7] = j.Account; v[8] = j.Partition; v[9] = j.Nodes; v[10] = j.Gpus; v[11] = j.State; v[12] = j.ExitCode; v[13] = Ms(j.Submit);
        v[14] = Ms(j.Start); v[15] = Ms(j.End); v[16] = j.ElapsedS; v[17] = j.SlurmEnergyJ; v[18] = j.TresUsageInTot; v[19] = j.Comment;
        v[20] = e?[0]; v[21] = e?[1]; v[22] = e?[2]; v[23] = e?[3];
        v[24] = e is null ? null : "mmmn";
        v[25] = e is null ? null : _carbon.Pue;
        v[26] = e is null ? null : _carbon.GramsPerKwh;
        v[27] = total is { } joules ? CarbonCalculator.EmissionsGrams(joules, _carbon) : null;
    }

    // COPY into a temporary table, then one INSERT … ON CONFLICT: the idempotent write at COPY speed.
    private long BulkLoadPostgres(Npgsql.NpgsqlConnection connection, IEnumerable<(AccountingJob Job, long[]? EnergyUj)> jobs)
    {
        long written = 0;
        var columns = string.Join(", ", BulkColumns);
        foreach (var chunk in jobs.Chunk(200_000))
        {
            InTransaction(() =>
            {
                Execute("CREATE TEMPORARY TABLE IF NOT EXISTS jobs_load (LIKE jobs INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                using (var copy = connection.BeginBinaryImport($"COPY jobs_load (job_id_raw, {columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    var values = new object?[BulkColumns.Length + 1];
                    foreach (var (j, e) in chunk)
                    {
                        copy.StartRow();
                        BulkValues(j, e, values);
                        foreach (var value in values)
                        {
                            switch (value)
                            {
                                case null: copy.WriteNull(); break;
                                case string text: copy.Write(text, NpgsqlTypes.NpgsqlDbType.Text); break;
                                case int n: copy.Write(n, NpgsqlTypes.NpgsqlDbType.Integer); break;
                                case long l: copy.Write(l, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                                case double d: copy.Write(d, NpgsqlTypes.NpgsqlDbType.Double); break;
                                default: throw new InvalidOperationException($"unexpected {value.GetType()}");
                            }
                        }
                    }
                    copy.Complete();
                }
                written += Execute($"INSERT INTO jobs (job_id_raw, {columns}) SELECT job_id_raw, {columns} FROM jobs_load " +
                                   $"ON CONFLICT (job_id_raw) DO UPDATE SET {string.Join(", ", BulkColumns.Select(c => $"{c} = excluded.{c}"))}");
            });
        }
        return written;
    }

    /// <summary>Bytes the jobs table and its indexes take on disk (PostgreSQL), or the whole database file (SQLite, after a checkpoint).</summary>
    public long JobsBytes()
    {
        if (_dialect == SqlDialect.Postgres) return Convert.ToInt64(Scalar("SELECT pg_total_relation_size('jobs')"), CultureInfo.InvariantCulture);
        Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        return Convert.ToInt64(Scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"), CultureInfo.InvariantCulture);
    }

    public bool TryRecordBatch(string agent, long sequence, Action write)
    {
        var recorded = false;
        InTransaction(() =>
        {
            var rows = Execute("INSERT INTO ingest_batches (agent, seq, received_ms) VALUES (@a, @s, @t) ON CONFLICT (agent, seq) DO NOTHING",
                ("a", agent), ("s", sequence), ("t", NowMs()));
            if (rows == 0) return;
            write();
            recorded = true;
        });
        return recorded;
    }

    private const string JobColumns = """
        job_id_raw, COALESCE(job_id, job_id_raw), array_job_id, array_task_id, name, user_name, account, partition_name, nodes, gpus, state, exit_code,
        submit_ms, start_ms, end_ms, elapsed_s, slurm_energy_j, cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage, gpu_util,
        idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, pue, carbon_intensity, emissions_g
        """;

    // The job's time as every query and the time index spell it: submitted, else started.
    private const string JobTime = "COALESCE(submit_ms, start_ms)";
    private const string EnergyUj = "(COALESCE(cpu_uj, 0) + COALESCE(dram_uj, 0) + COALESCE(gpu_uj, 0) + COALESCE(other_uj, 0))";

    public IReadOnlyList<JobRow> Jobs(JobQuery q)
    {
        var (where, args) = Filter(q);
        args.Add(("limit", q.Limit));
        var sql = $"SELECT {JobColumns} FROM jobs {where} ORDER BY {JobTime}, job_id_raw LIMIT @limit";
        return Rows(sql, [.. args]).Select(ReadJob).ToList();
    }

    public JobSummary Summary(JobQuery q)
    {
        // Summed per day and state in the database (a few hundred rows back for a year), folded into months here:
        // month arithmetic is the one thing SQLite and PostgreSQL spell differently.
        var (where, args) = Filter(q);
        var sql = $"SELECT {JobTime} / 86400000, state, COUNT(*), CAST(SUM(COALESCE(gpus, 0) * COALESCE(elapsed_s, 0)) AS DOUBLE PRECISION), " +
                  $"CAST(SUM({EnergyUj}) AS DOUBLE PRECISION), CAST(SUM(COALESCE(emissions_g, 0)) AS DOUBLE PRECISION) " +
                  $"FROM jobs {where} GROUP BY {JobTime} / 86400000, state";
        var months = new SortedDictionary<string, JobTotals>(StringComparer.Ordinal);
        var states = new Dictionary<string, JobTotals>(StringComparer.Ordinal);
        var total = JobTotals.Zero;
        foreach (var r in Rows(sql, [.. args]))
        {
            var month = r.IsDBNull(0) ? "unknown" : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture) * 86_400_000)
                .ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var state = r.IsDBNull(1) ? "UNKNOWN" : r.GetString(1);
            var totals = new JobTotals(r.GetInt64(2), Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture) / 3600,
                Convert.ToDouble(r.GetValue(4), CultureInfo.InvariantCulture) / 3.6e12, Convert.ToDouble(r.GetValue(5), CultureInfo.InvariantCulture));
            months[month] = months.GetValueOrDefault(month, JobTotals.Zero).Add(totals);
            states[state] = states.GetValueOrDefault(state, JobTotals.Zero).Add(totals);
            total = total.Add(totals);
        }
        return new JobSummary(total, [.. months.Select(m => new SummaryGroup(m.Key, m.Value))],
            [.. states.OrderByDescending(s => s.Value.EnergyKwh).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new SummaryGroup(s.Key, s.Value))]);
    }

    private static (string Where, List<(string, object?)> Args) Filter(JobQuery q)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (q.User is not null) { where.Add("user_name = @user"); args.Add(("user", q.User)); }
        if (q.Account is not null) { where.Add("account = @account"); args.Add(("account", q.Account)); }
        if (q.State is not null) { where.Add("state = @state"); args.Add(("state", q.State.ToUpperInvariant())); }
        if (q.Since is not null) { where.Add($"{JobTime} >= @since"); args.Add(("since", Ms(q.Since))); }
        if (q.Until is not null) { where.Add($"{JobTime} < @until"); args.Add(("until", Ms(q.Until))); }
        return (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "", args);
    }

    public JobRow? Job(string id)
    {
        // Two lookups, each on its own index (the job_id index only holds the rows that have one).
        return Rows($"SELECT {JobColumns} FROM jobs WHERE job_id_raw = @id", ("id", id)).Select(ReadJob).FirstOrDefault()
            ?? Rows($"SELECT {JobColumns} FROM jobs WHERE job_id = @id AND job_id IS NOT NULL ORDER BY job_id_raw LIMIT 1", ("id", id)).Select(ReadJob).FirstOrDefault();
    }

    public IReadOnlyList<SeriesPoint> Series(string jobIdRaw)
    {
        return Rows("SELECT node, device, t_ms, energy_uj, power_w, util FROM series WHERE job_id_raw = @job ORDER BY device, t_ms", ("job", jobIdRaw))
            .Select(r => new SeriesPoint(jobIdRaw, r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2))!.Value, r.GetInt64(3),
                r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5)))
            .ToList();
    }

    public IReadOnlyList<UserTotals> Users(DateTimeOffset? since)
    {
        const string energy = EnergyUj;
        var sql = $"""
            SELECT user_name, COUNT(*), CAST(SUM(COALESCE(gpus, 0) * COALESCE(elapsed_s, 0)) AS DOUBLE PRECISION) / 3600.0,
                   CAST(SUM({energy}) AS DOUBLE PRECISION) / 3.6e12, CAST(SUM(COALESCE(emissions_g, 0)) AS DOUBLE PRECISION),
                   CAST(SUM(CASE WHEN state IS NOT NULL AND state <> 'COMPLETED' THEN {energy} ELSE 0 END) AS DOUBLE PRECISION),
                   CAST(SUM({energy}) AS DOUBLE PRECISION)
            FROM jobs {_dialect.Use(since is null ? null : "jobs_time")} WHERE user_name IS NOT NULL {(since is null ? "" : $"AND {JobTime} >= @since")}
            GROUP BY user_name ORDER BY SUM({energy}) DESC, user_name
            """;
        var rows = new List<UserTotals>();
        foreach (var reader in since is null ? Rows(sql) : Rows(sql, ("since", Ms(since))))
        {
            var total = Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture);
            var notCompleted = Convert.ToDouble(reader.GetValue(5), CultureInfo.InvariantCulture);
            rows.Add(new UserTotals(reader.GetString(0), reader.GetInt64(1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToDouble(reader.GetValue(3), CultureInfo.InvariantCulture), Convert.ToDouble(reader.GetValue(4), CultureInfo.InvariantCulture),
                total > 0 ? notCompleted / total : 0));
        }
        return rows;
    }

    public int PruneSeries(DateTimeOffset olderThan) => Execute("DELETE FROM series WHERE t_ms < @t", ("t", Ms(olderThan)));

    public string IssueToken(string role, string subject)
    {
        if (role is not (TokenRoles.Agent or TokenRoles.User or TokenRoles.Admin)) throw new ArgumentException($"unknown role '{role}'");
        var secret = "coca_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Execute("INSERT INTO tokens (token_id, hash, role, subject, created_ms, revoked) VALUES (@id, @hash, @role, @subject, @t, 0)",
            ("id", id), ("hash", Hash(secret)), ("role", role), ("subject", subject), ("t", NowMs()));
        return secret;
    }

    public TokenInfo? Authenticate(string secret)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        var token = Rows("SELECT token_id, role, subject, created_ms, revoked FROM tokens WHERE hash = @hash", ("hash", Hash(secret))).Select(ReadToken).FirstOrDefault();
        return token is { Revoked: false } ? token : null;
    }

    public bool RevokeToken(string tokenId) => Execute("UPDATE tokens SET revoked = 1 WHERE token_id = @id", ("id", tokenId)) > 0;

    public IReadOnlyList<TokenInfo> Tokens()
    {
        return Rows("SELECT token_id, role, subject, created_ms, revoked FROM tokens ORDER BY created_ms").Select(ReadToken).ToList();
    }

    private static JobRow ReadJob(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long? L(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        double? D(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
        return new JobRow
        {
            JobIdRaw = r.GetString(0),
            JobId = r.GetString(1),
            ArrayJobId = S(2),
            ArrayTaskId = (int?)L(3),
            Name = S(4),
            User = S(5),
            Account = S(6),
            Partition = S(7),
            Nodes = S(8),
            Gpus = (int?)L(9),
            State = S(10),
            ExitCode = S(11),
            Submit = FromMs(L(12)),
            Start = FromMs(L(13)),
            End = FromMs(L(14)),
            ElapsedS = L(15),
            SlurmEnergyJ = D(16),
            CpuUj = L(17),
            DramUj = L(18),
            GpuUj = L(19),
            OtherUj = L(20),
            Provenance = S(21) is { } stored ? ProvenanceColumn.ToWire(stored) : null,
            Coverage = D(22),
            GpuUtilisation = D(23),
            IdleGpuSeconds = D(24),
            LastGpuActivity = FromMs(L(25)),
            EnergyAfterLastGpuActivityUj = L(26),
            Pue = D(27),
            CarbonIntensityGPerKwh = D(28),
            EmissionsG = D(29),
        };
    }

    private HashSet<string> Existing(List<string> ids, string table = "jobs")
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        var names = ids.Select((_, i) => "@i" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var reader in Rows($"SELECT DISTINCT job_id_raw FROM {table} WHERE job_id_raw IN ({string.Join(", ", names)})", [.. ids.Select((id, i) => ("i" + i.ToString(CultureInfo.InvariantCulture), (object?)id))]))
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    private void InTransaction(Action work)
    {
        if (_transaction is not null)
        {
            work();
            return;
        }
        _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
        try
        {
            work();
            _transaction.Commit();
        }
        catch
        {
            _transaction.Rollback();
            throw;
        }
        finally
        {
            _transaction.Dispose();
            _transaction = null;
        }
    }

    private DbCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    private static void Bind(DbCommand command, params (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            DbParameter p;
            if (command.Parameters.Contains(name))
            {
                p = command.Parameters[name];
            }
            else
            {
                p = command.CreateParameter();
                p.ParameterName = name;
                command.Parameters.Add(p);
            }
            p.Value = value ?? DBNull.Value;
        }
    }

    internal int Execute(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>The rows of a query, the reader positioned on each; the command and reader are disposed when the enumeration ends.</summary>
    private IEnumerable<DbDataReader> Rows(string sql, params (string, object?)[] args)
    {
        using var command = Command(sql);
        Bind(command, args);
        using var reader = command.ExecuteReader(CommandBehavior.Default);
        while (reader.Read()) yield return reader;
    }

    private static TokenInfo ReadToken(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3))!.Value, r.GetInt64(4) != 0);

    // Stored only where it differs from the raw id (array tasks, heterogeneous jobs): most rows keep a NULL.
    private static string? StoredJobId(AccountingJob j) => j.JobId == j.JobIdRaw ? null : j.JobId;

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _transaction?.Dispose();
        _connection.Dispose();
    }
}
