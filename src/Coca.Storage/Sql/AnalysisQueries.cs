using Microsoft.Data.Sqlite;
using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Core.Units;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The jobs a query selects, as the behaviours read them: in time order (submitted, else started), streamed a week
/// (PostgreSQL: a day) at a time so that neither store sorts a year at once nor holds it in memory, then the jobs with no time at all
/// (only when the query has no time bounds). Only the columns the rules need are read.
/// </summary>
internal sealed class AnalysisQueries(SqlSession sql)
{
    private const string JobTime = "COALESCE(submit_ms, start_ms)";
    // A week of a national centre's jobs is ~170,000 rows: SQLite walks its time index in order, no sort; PostgreSQL's
    // BRIN index gives no order, so it sorts each chunk: a day keeps that sort within the default work_mem (4 MB).
    private long ChunkMs => sql.Dialect == SqlDialect.Postgres ? 86_400_000L : 7 * 86_400_000L;

    private const string Columns = """
        COALESCE(job_id, job_id_raw), array_job_id, user_name, name, partition_name, account, state, COALESCE(submit_ms, start_ms), elapsed_s, gpus,
        fingerprint, cpu_uj, dram_uj, gpu_uj, other_uj, provenance, slurm_energy_j, gpu_util, tres_usage, total_cpu_s, alloc_cpus, interactive,
        unused_gpus, unused_gpu_uj, after_last_activity_uj, last_gpu_activity_ms, emissions_g, framework, tags
        """;

    public IEnumerable<AnalysisJob> Jobs(JobQuery q)
    {
        var (where, args) = Filter(q);
        var bounds = sql.Rows($"SELECT MIN({JobTime}), MAX({JobTime}) FROM jobs {Where(where, $"{JobTime} IS NOT NULL")}", [.. args]).Select(r =>
            (Min: r.IsDBNull(0) ? (long?)null : Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
             Max: r.IsDBNull(1) ? (long?)null : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture))).First();
        if (bounds.Min is { } min && bounds.Max is { } max)
        {
            for (var from = min; from <= max; from += ChunkMs)
            {
                var chunk = Where(where, $"{JobTime} >= @from AND {JobTime} < @to");
                foreach (var job in Rows($"SELECT {Columns} FROM jobs {chunk} ORDER BY {Order}", [.. args, ("from", from), ("to", from + ChunkMs)])) yield return job;
            }
        }
        if (q.Since is null && q.Until is null)
        {
            foreach (var job in Rows($"SELECT {Columns} FROM jobs {Where(where, $"{JobTime} IS NULL")} ORDER BY job_id_raw", args)) yield return job;
        }
    }

    private IEnumerable<AnalysisJob> Rows(string query, List<(string, object?)> args)
    {
        if (sql.Connection is SqliteConnection sqlite)
        {
            using var rows = new SqliteAnalysisRows(sqlite, query, args);
            while (rows.Next()) yield return Read(rows);
            yield break;
        }
        foreach (var r in sql.Rows(query, [.. args])) yield return Read(new ReaderAnalysisRow(r));
    }

    // SQLite reads the time index in order (ties in insertion order): adding job_id_raw would sort every chunk again.
    // PostgreSQL's BRIN index gives no order, it sorts the week anyway: the id makes ties deterministic there.
    private string Order => sql.Dialect == SqlDialect.Postgres ? $"{JobTime}, job_id_raw" : JobTime;

    private static (List<string> Where, List<(string, object?)> Args) Filter(JobQuery q)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        if (q.User is not null) { where.Add("user_name = @user"); args.Add(("user", q.User)); }
        if (q.Account is not null) { where.Add("account = @account"); args.Add(("account", q.Account)); }
        if (q.Since is not null) { where.Add($"{JobTime} >= @since"); args.Add(("since", Ms(q.Since))); }
        if (q.Until is not null) { where.Add($"{JobTime} < @until"); args.Add(("until", Ms(q.Until))); }
        return (where, args);
    }

    private static string Where(List<string> filter, string extra) => "WHERE " + string.Join(" AND ", [.. filter, extra]);

    private static AnalysisJob Read(IAnalysisRow r)
    {
        string? S(int i) => r.IsNull(i) ? null : r.Text(i);
        string? R(int i) => r.IsNull(i) ? null : r.Repeated(i);
        long? L(int i) => r.IsNull(i) ? null : r.Long(i);
        double? D(int i) => r.IsNull(i) ? null : r.Double(i) is var d && double.IsFinite(d) ? d : null;
        var gpus = (int?)L(9);
        long? cpu = L(11), dram = L(12), gpu = L(13), other = L(14);
        var measured = cpu is not null || dram is not null || gpu is not null || other is not null;
        var agentUtil = D(17);
        var slurmUtil = agentUtil is null && gpus > 0 ? Tres.GpuUtilisation(S(18), gpus) : null;
        var interactive = L(21);
        return new AnalysisJob
        {
            JobId = r.Text(0),
            ArrayJobId = S(1),
            User = R(2),
            Name = R(3),
            Partition = R(4),
            Account = R(5),
            State = R(6),
            TimeMs = L(7),
            ElapsedS = L(8),
            Gpus = gpus,
            Fingerprint = L(10) ?? 0,
            AgentEnergyJ = measured ? ((cpu ?? 0) + (dram ?? 0) + (gpu ?? 0) + (other ?? 0)) / 1e6 : null,
            AgentGpuEnergyJ = measured ? (gpu ?? 0) / 1e6 : null,
            AgentProvenance = measured ? Weakest(R(15)) : null,
            SlurmEnergyJ = D(16),
            GpuUtilisation = agentUtil ?? slurmUtil,
            GpuUtilisationSource = agentUtil is not null ? "agent" : slurmUtil is not null ? "slurm" : null,
            TotalCpuS = D(19),
            AllocCpus = (int?)L(20),
            Interactive = interactive is null ? null : interactive != 0,
            UnusedGpus = (int?)L(22),
            UnusedGpuEnergyJ = L(23) / 1e6,
            // The tail is only a tail when the agent saw the GPUs work at all.
            EnergyAfterLastGpuActivityJ = L(25) is null ? null : L(24) / 1e6,
            EmissionsG = D(26),
            Framework = R(27),
            Tags = S(28),
        };
    }

    // The weakest provenance among the components that have one: what the job's total can claim.
    private static string Weakest(string? stored)
    {
        if (stored is null) return "measured";
        var weakest = Provenance.None;
        foreach (var p in ProvenanceColumn.Decode(stored))
        {
            if (p == Provenance.None) continue;
            weakest = weakest == Provenance.None ? p : weakest.Combine(p);
        }
        return weakest == Provenance.None ? "measured" : weakest.ToWire();
    }
}
