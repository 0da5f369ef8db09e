using Coca.Core.Accounting;
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
    ];

    public UpsertResult Upsert(IReadOnlyList<AccountingJob> jobs)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        var columns = string.Join(", ", Columns);
        var values = string.Join(", ", Columns.Select(c => "@" + c));
        var set = string.Join(", ", Columns.Select(c => $"{c} = excluded.{c}"));
        // The WHERE makes an identical row a no-op (0 rows changed): that is how a re-import counts as unchanged.
        var changed = string.Join(" OR ", Columns.Select(c => $"jobs.{c} {sql.Dialect.DistinctFrom} excluded.{c}"));
        var statement = $"INSERT INTO jobs (job_id_raw, {columns}) VALUES (@job_id_raw, {values}) ON CONFLICT (job_id_raw) DO UPDATE SET {set} WHERE {changed}";
        foreach (var chunk in jobs.Chunk(Chunk))
        {
            sql.InTransaction(() =>
            {
                var existing = sql.Existing(chunk.Select(j => j.JobIdRaw).ToList());
                using var command = sql.Command(statement);
                foreach (var j in chunk)
                {
                    SqlSession.Bind(command, ("job_id_raw", j.JobIdRaw), ("job_id", StoredJobId(j)), ("array_job_id", j.ArrayJobId), ("array_task_id", j.ArrayTaskId),
                        ("name", j.Name), ("user_name", j.User), ("group_name", j.Group), ("account", j.Account), ("partition_name", j.Partition),
                        ("nodes", j.Nodes), ("gpus", j.Gpus), ("state", j.State), ("exit_code", j.ExitCode), ("submit_ms", Ms(j.Submit)),
                        ("start_ms", Ms(j.Start)), ("end_ms", Ms(j.End)), ("elapsed_s", j.ElapsedS), ("slurm_energy_j", FiniteOrNull(j.SlurmEnergyJ)),
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

    /// <summary>
    /// The parsers refuse a NaN, infinite or negative energy already; this guard keeps one that slipped through from
    /// failing the whole chunk (SQLite refuses NaN) or every later listing (JSON has no Infinity): it is stored unknown.
    /// </summary>
    public static double? FiniteOrNull(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    /// <summary>Stored only where it differs from the raw id (array tasks, heterogeneous jobs): most rows keep a NULL.</summary>
    public static string? StoredJobId(AccountingJob j) => j.JobId == j.JobIdRaw ? null : j.JobId;
}
