using Coca.Core.Accounting;
using Coca.Core.Jobs;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The scheduler's side of a job row: inserts new jobs, updates the accounting fields of known ones, and never
/// touches the energy the agents measured (those columns are not in the statement).
/// </summary>
internal sealed class AccountingWriter(SqlSession sql)
{
    // Rows per transaction: a sync of a busy day commits in steps instead of holding one long write lock.
    private const int Chunk = 500;

    /// <summary>The accounting columns, job_id_raw aside; the bulk load writes these and the energy.</summary>
    public static readonly string[] Columns =
    [
        "job_id", "array_job_id", "array_task_id", "name", "user_name", "group_name", "account", "partition_name", "nodes", "gpus",
        "state", "exit_code", "submit_ms", "start_ms", "end_ms", "elapsed_s", "slurm_energy_j", "tres_usage", "comment",
        "total_cpu_s", "alloc_cpus", "req_mem_bytes", "max_rss_bytes", "timelimit_s", "fingerprint", "interactive",
        "submit_line", "work_dir", "req_tres", "tres_usage_ave", "tags",
    ];

    /// <summary>
    /// Columns an agent may know better than the accounting: sacct without steps says nothing of interactive, and that
    /// silence must not erase what an agent saw in the job's cgroup. A NULL from the accounting keeps the stored value.
    /// </summary>
    public static readonly string[] KeptWhenUnknown = ["interactive"];

    /// <summary>The SET list of an upsert from the accounting.</summary>
    public static string Set => string.Join(", ", Columns.Select(c => KeptWhenUnknown.Contains(c) ? $"{c} = COALESCE(excluded.{c}, jobs.{c})" : $"{c} = excluded.{c}"));

    /// <summary>The bound values of <see cref="Columns"/>, in order (job_id_raw aside).</summary>
    public static void Values(AccountingJob j, object?[] v, int at)
    {
        // Written in place: the bulk load calls this millions of times.
        var i = at;
        v[i++] = StoredJobId(j); v[i++] = j.ArrayJobId; v[i++] = j.ArrayTaskId; v[i++] = j.Name; v[i++] = j.User; v[i++] = j.Group;
        v[i++] = j.Account; v[i++] = j.Partition; v[i++] = j.Nodes; v[i++] = j.Gpus; v[i++] = j.State; v[i++] = j.ExitCode;
        v[i++] = Ms(j.Submit); v[i++] = Ms(j.Start); v[i++] = Ms(j.End); v[i++] = j.ElapsedS; v[i++] = FiniteOrNull(j.SlurmEnergyJ);
        v[i++] = j.TresUsageInTot; v[i++] = j.Comment;
        v[i++] = FiniteOrNull(j.TotalCpuS); v[i++] = j.AllocCpus is >= 0 ? j.AllocCpus : null; v[i++] = NonNegative(j.ReqMemBytes);
        v[i++] = NonNegative(j.MaxRssBytes); v[i++] = NonNegative(j.TimelimitS);
        v[i++] = j.Fingerprint is var f && f != 0 ? f : null;
        v[i++] = j.Interactive is { } interactive ? (interactive ? 1 : 0) : null;
        v[i++] = j.SubmitLine; v[i++] = j.WorkDir; v[i++] = j.ReqTres; v[i++] = j.TresUsageInAve; v[i++] = JobTags.Column(j.Comment);
        System.Diagnostics.Debug.Assert(i - at == Columns.Length);
    }

    public UpsertResult Upsert(IReadOnlyList<AccountingJob> jobs)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        var columns = string.Join(", ", Columns);
        var values = string.Join(", ", Columns.Select(c => "@" + c));
        // The WHERE makes an identical row a no-op (0 rows changed): that is how a re-import counts as unchanged.
        var changed = string.Join(" OR ", Columns.Select(c => KeptWhenUnknown.Contains(c)
            ? $"(excluded.{c} IS NOT NULL AND jobs.{c} {sql.Dialect.DistinctFrom} excluded.{c})"
            : $"jobs.{c} {sql.Dialect.DistinctFrom} excluded.{c}"));
        var statement = $"INSERT INTO jobs (job_id_raw, {columns}) VALUES (@job_id_raw, {values}) ON CONFLICT (job_id_raw) DO UPDATE SET {Set} WHERE {changed}";
        foreach (var chunk in jobs.Chunk(Chunk))
        {
            sql.InTransaction(() =>
            {
                var existing = sql.Existing(chunk.Select(j => j.JobIdRaw).ToList());
                using var command = sql.Command(statement);
                var values = new object?[Columns.Length];
                var args = new (string, object?)[Columns.Length + 1];
                foreach (var j in chunk)
                {
                    Values(j, values, 0);
                    args[0] = ("job_id_raw", j.JobIdRaw);
                    for (var c = 0; c < Columns.Length; c++) args[c + 1] = (Columns[c], values[c]);
                    SqlSession.Bind(command, args);
                    var rows = command.ExecuteNonQuery();
                    if (rows == 0) unchanged++;
                    else if (existing.Contains(j.JobIdRaw)) updated++;
                    else inserted++;
                }
            });
        }
        return new UpsertResult(inserted, updated, unchanged);
    }

    /// <summary>
    /// The parsers refuse a NaN, infinite or negative energy already; this guard keeps one that slipped through from
    /// failing the whole chunk (SQLite refuses NaN) or every later listing (JSON has no Infinity): it is stored unknown.
    /// </summary>
    public static double? FiniteOrNull(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    private static long? NonNegative(long? value) => value is >= 0 ? value : null;

    /// <summary>Stored only where it differs from the raw id (array tasks, heterogeneous jobs): most rows keep a NULL.</summary>
    public static string? StoredJobId(AccountingJob j) => j.JobId == j.JobIdRaw ? null : j.JobId;
}
