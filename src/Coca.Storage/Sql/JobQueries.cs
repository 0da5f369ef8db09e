using System.Data.Common;
using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Jobs;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// What readers ask of the jobs table: a filtered listing, one job, and totals summed in the database (per user,
/// per month and state). Reads only: these run on a store opened read-only.
/// </summary>
internal sealed class JobQueries(SqlSession sql)
{
    private const string JobColumns = """
        job_id_raw, COALESCE(job_id, job_id_raw), array_job_id, array_task_id, name, user_name, account, partition_name, nodes, gpus, state, exit_code,
        submit_ms, start_ms, end_ms, elapsed_s, slurm_energy_j, cpu_uj, dram_uj, gpu_uj, other_uj, provenance, coverage, gpu_util,
        idle_gpu_s, last_gpu_activity_ms, after_last_activity_uj, pue, carbon_intensity, emissions_g, tres_usage,
        total_cpu_s, alloc_cpus, req_mem_bytes, max_rss_bytes, timelimit_s, fingerprint, interactive, submit_line, work_dir, req_tres, tags,
        framework, unused_gpus, unused_gpu_uj, other_rule, other_source, other_mape_pct
        """;

    // The job's time as every query and the time index spell it: submitted, else started.
    internal const string JobTime = "COALESCE(submit_ms, start_ms)";
    private const string EnergyUj = "(COALESCE(cpu_uj, 0) + COALESCE(dram_uj, 0) + COALESCE(gpu_uj, 0) + COALESCE(other_uj, 0))";

    // A job is measured when an agent sent any figure for it; Slurm's own energy counts apart, only where no agent measured.
    private const string Measured = "(cpu_uj IS NOT NULL OR dram_uj IS NOT NULL OR gpu_uj IS NOT NULL OR other_uj IS NOT NULL)";
    private const string SlurmOnly = $"(NOT {Measured} AND slurm_energy_j IS NOT NULL)";

    // The seven sums every total reads (ReadTotals): jobs, GPU-seconds, measured µJ and jobs, emissions, Slurm's J and jobs.
    private const string Totals =
        $"COUNT(*), CAST(SUM(COALESCE(gpus, 0) * COALESCE(elapsed_s, 0)) AS DOUBLE PRECISION), " +
        $"CAST(SUM(CASE WHEN {Measured} THEN {EnergyUj} END) AS DOUBLE PRECISION), SUM(CASE WHEN {Measured} THEN 1 ELSE 0 END), " +
        $"CAST(SUM(CASE WHEN {Measured} THEN emissions_g END) AS DOUBLE PRECISION), " +
        $"CAST(SUM(CASE WHEN {SlurmOnly} THEN slurm_energy_j END) AS DOUBLE PRECISION), SUM(CASE WHEN {SlurmOnly} THEN 1 ELSE 0 END)";

    // Did not complete, as Core's JobStates says: the same words in every sum.
    private static readonly string NotCompleted = $"state IN ({string.Join(", ", JobStates.DidNotComplete.Select(s => $"'{s}'"))})";
    private static readonly string Ended = $"(state = '{JobStates.Completed}' OR {NotCompleted})";

    public IReadOnlyList<JobRow> Jobs(JobQuery q)
    {
        var (where, args) = Filter(q);
        if (q.Node is null)
        {
            args.Add(("limit", q.Limit));
            args.Add(("offset", Math.Max(0, q.Offset)));
            return sql.Rows($"SELECT {JobColumns} FROM jobs {where} ORDER BY {OrderBy(q.Order)} LIMIT @limit OFFSET @offset", [.. args]).Select(ReadJob).ToList();
        }
        // The SQL keeps the node lists that could hold the node; the host list itself decides, here, before the limit.
        return sql.Rows($"SELECT {JobColumns} FROM jobs {where} ORDER BY {OrderBy(q.Order)}", [.. args]).Select(ReadJob)
            .Where(j => j.Nodes is { } nodes && HostList.Contains(nodes, q.Node)).Skip(Math.Max(0, q.Offset)).Take(q.Limit).ToList();
    }

    // Unknown energy sorts after every known figure, whichever the direction: a missing figure is not a small one.
    private static string OrderBy(JobOrder order) => order switch
    {
        JobOrder.Newest => $"{JobTime} DESC, job_id_raw DESC",
        JobOrder.MostEnergy => $"CASE WHEN {Measured} THEN 0 ELSE 1 END, {EnergyUj} DESC, job_id_raw",
        JobOrder.LeastEnergy => $"CASE WHEN {Measured} THEN 0 ELSE 1 END, {EnergyUj}, job_id_raw",
        _ => $"{JobTime}, job_id_raw",
    };

    public IReadOnlyList<SummaryGroup> Breakdown(JobQuery q, JobGrouping by)
    {
        if (q.Node is not null) throw new NotSupportedException("a node filter lists jobs; it cannot be summed in the database");
        var (where, args) = Filter(q);
        // 1970-01-01 was a Thursday: three days on, whole weeks start on Mondays.
        var key = by switch { JobGrouping.Partition => "partition_name", JobGrouping.Account => "account", JobGrouping.Week => $"({JobTime} + 259200000) / 604800000", _ => $"{JobTime} / 86400000" };
        var groups = new List<SummaryGroup>();
        foreach (var r in sql.Rows($"SELECT {key}, {Totals} FROM jobs {where} GROUP BY {key}", [.. args]))
        {
            var name = r.IsDBNull(0) ? "unknown" : by switch
            {
                JobGrouping.Day => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture) * 86_400_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                JobGrouping.Week => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture) * 604_800_000 - 259_200_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => r.GetString(0),
            };
            groups.Add(new SummaryGroup(name, ReadTotals(r, 1)));
        }
        return by is JobGrouping.Day or JobGrouping.Week
            ? [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal)]
            : [.. groups.OrderByDescending(g => g.Totals.EnergyKwh ?? 0).ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    public JobSummary Summary(JobQuery q)
    {
        if (q.Node is not null) throw new NotSupportedException("a node filter lists jobs; it cannot be summed in the database");
        // Summed per day and state in the database (a few hundred rows back for a year), folded into months here:
        // month arithmetic is the one thing SQLite and PostgreSQL spell differently.
        var (where, args) = Filter(q);
        var query = $"SELECT {JobTime} / 86400000, state, {Totals} FROM jobs {where} GROUP BY {JobTime} / 86400000, state";
        var months = new SortedDictionary<string, JobTotals>(StringComparer.Ordinal);
        var states = new Dictionary<string, JobTotals>(StringComparer.Ordinal);
        var total = JobTotals.Zero;
        foreach (var r in sql.Rows(query, [.. args]))
        {
            var month = r.IsDBNull(0) ? "unknown" : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture) * 86_400_000)
                .ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var state = r.IsDBNull(1) ? "UNKNOWN" : r.GetString(1);
            var totals = ReadTotals(r, 2);
            months[month] = months.GetValueOrDefault(month, JobTotals.Zero).Add(totals);
            states[state] = states.GetValueOrDefault(state, JobTotals.Zero).Add(totals);
            total = total.Add(totals);
        }
        return new JobSummary(total, [.. months.Select(m => new SummaryGroup(m.Key, m.Value))],
            [.. states.OrderByDescending(s => s.Value.EnergyKwh ?? 0).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new SummaryGroup(s.Key, s.Value))]);
    }

    private (string Where, List<(string, object?)> Args) Filter(JobQuery q)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (q.User is not null) { where.Add("user_name = @user"); args.Add(("user", q.User)); }
        if (q.Account is not null) { where.Add("account = @account"); args.Add(("account", q.Account)); }
        if (q.State is not null) { where.Add("state = @state"); args.Add(("state", q.State.ToUpperInvariant())); }
        if (q.Since is not null) { where.Add($"{JobTime} >= @since"); args.Add(("since", Ms(q.Since))); }
        if (q.Until is not null) { where.Add($"{JobTime} < @until"); args.Add(("until", Ms(q.Until))); }
        if (q.Partition is not null) { where.Add("partition_name = @partition"); args.Add(("partition", q.Partition)); }
        if (q.ArrayJobId is not null) { where.Add("array_job_id = @array"); args.Add(("array", q.ArrayJobId)); }
        if (q.Fingerprint is not null) { where.Add("fingerprint = @fingerprint"); args.Add(("fingerprint", q.Fingerprint)); }
        if (q.Tag is not null)
        {
            if (!JobTags.TryFilter(q.Tag, out var needle)) throw new ArgumentException($"tag filter '{q.Tag}' is not one KEY=VALUE");
            // A plain substring test: the stored " k=v k=v " has a space on each side of every pair (LIKE would read % and _ in a value).
            where.Add(Contains("tags", "@tag"));
            args.Add(("tag", needle));
        }
        if (q.Node is not null)
        {
            // Digits are what a host list compresses; the text before the first one is in the list as typed.
            var prefix = new string(q.Node.TakeWhile(c => !char.IsAsciiDigit(c)).ToArray());
            where.Add(prefix.Length == 0 ? "nodes IS NOT NULL" : Contains("nodes", "@node"));
            if (prefix.Length > 0) args.Add(("node", prefix));
        }
        return (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "", args);
    }

    private string Contains(string column, string parameter) =>
        sql.Dialect == SqlDialect.Postgres ? $"strpos({column}, {parameter}) > 0" : $"instr({column}, {parameter}) > 0";

    public JobRow? Job(string id)
    {
        // Two lookups, each on its own index (the job_id index only holds the rows that have one).
        return sql.Rows($"SELECT {JobColumns} FROM jobs WHERE job_id_raw = @id", ("id", id)).Select(ReadJob).FirstOrDefault()
            ?? sql.Rows($"SELECT {JobColumns} FROM jobs WHERE job_id = @id AND job_id IS NOT NULL ORDER BY job_id_raw LIMIT 1", ("id", id)).Select(ReadJob).FirstOrDefault();
    }

    public IReadOnlyList<UserTotals> Users(DateTimeOffset? since)
    {
        var query = $"""
            SELECT user_name, {Totals},
                   CAST(SUM(CASE WHEN {Measured} AND {NotCompleted} THEN {EnergyUj} END) AS DOUBLE PRECISION),
                   CAST(SUM(CASE WHEN {Measured} AND {Ended} THEN {EnergyUj} END) AS DOUBLE PRECISION)
            FROM jobs {sql.Dialect.Use(since is null ? null : "jobs_time")} WHERE user_name IS NOT NULL {(since is null ? "" : $"AND {JobTime} >= @since")}
            GROUP BY user_name ORDER BY SUM({EnergyUj}) DESC, user_name
            """;
        var rows = new List<UserTotals>();
        foreach (var reader in since is null ? sql.Rows(query) : sql.Rows(query, ("since", Ms(since))))
        {
            var t = ReadTotals(reader, 1);
            var notCompleted = Double(reader, 8) ?? 0;
            var ended = Double(reader, 9);
            rows.Add(new UserTotals(reader.GetString(0), t.Jobs, t.GpuHours, t.EnergyKwh, t.EmissionsG, ended > 0 ? notCompleted / ended : null)
            {
                MeasuredJobs = t.MeasuredJobs,
                UnknownEnergyJobs = t.UnknownEnergyJobs,
                SlurmEnergyKwh = t.SlurmEnergyKwh,
                SlurmEnergyJobs = t.SlurmEnergyJobs,
            });
        }
        return rows;
    }

    // The seven columns of Totals from index i on.
    private static JobTotals ReadTotals(DbDataReader r, int i)
    {
        var jobs = Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        var measured = Convert.ToInt64(r.GetValue(i + 3), CultureInfo.InvariantCulture);
        var slurmJobs = Convert.ToInt64(r.GetValue(i + 6), CultureInfo.InvariantCulture);
        return new JobTotals(jobs, (Double(r, i + 1) ?? 0) / 3600, measured > 0 ? Double(r, i + 2) / 3.6e12 : null, measured > 0 ? Double(r, i + 4) : null)
        {
            MeasuredJobs = measured,
            SlurmEnergyKwh = slurmJobs > 0 ? Double(r, i + 5) / 3.6e6 : null,
            SlurmEnergyJobs = slurmJobs,
            UnknownEnergyJobs = jobs - measured - slurmJobs,
        };
    }

    private static double? Double(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? d : null;

    private static JobRow ReadJob(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long? L(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        // A stored NaN or infinity (written before the parsers refused them) reads as unknown: it must not break the listing.
        double? D(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? d : null;
        var gpus = (int?)L(9);
        var agentUtil = D(23);
        var slurmUtil = agentUtil is null ? Tres.GpuUtilisation(S(30), gpus) : null;
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
            Gpus = gpus,
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
            GpuUtilisation = agentUtil ?? slurmUtil,
            GpuUtilisationSource = agentUtil is not null ? "agent" : slurmUtil is not null ? "slurm" : null,
            IdleGpuSeconds = D(24),
            LastGpuActivity = FromMs(L(25)),
            EnergyAfterLastGpuActivityUj = L(26),
            Pue = D(27),
            CarbonIntensityGPerKwh = D(28),
            EmissionsG = D(29),
            TotalCpuS = D(31),
            AllocCpus = (int?)L(32),
            ReqMemBytes = L(33),
            MaxRssBytes = L(34),
            TimelimitS = L(35),
            Fingerprint = L(36),
            Interactive = L(37) is { } interactive ? interactive != 0 : null,
            SubmitLine = S(38),
            WorkDir = S(39),
            ReqTres = S(40),
            Tags = S(41),
            Framework = S(42),
            UnusedGpus = (int?)L(43),
            UnusedGpuUj = L(44),
            OtherRule = S(45),
            OtherSource = S(46),
            OtherMapePct = D(47),
        };
    }
}
