using Coca.Core.Metrics;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// What jobs achieved (<c>job_metrics</c>, migration 7): one value per job, metric name and step. An import is
/// idempotent; a value or time that differs from the stored one replaces it.
/// </summary>
internal sealed class JobMetricsTable(SqlSession sql)
{
    public MetricImportResult Import(IReadOnlyList<JobMetric> metrics)
    {
        int written = 0, unchanged = 0;
        foreach (var chunk in metrics.Chunk(50_000))
        {
            sql.InTransaction(() =>
            {
                using var command = sql.Command("""
                    INSERT INTO job_metrics (job_id_raw, name, step, t_ms, value) VALUES (@job, @name, @step, @t, @value)
                    ON CONFLICT (job_id_raw, name, step) DO UPDATE SET value = excluded.value, t_ms = excluded.t_ms
                    WHERE job_metrics.value <> excluded.value OR job_metrics.t_ms IS DISTINCT FROM excluded.t_ms
                    """);
                foreach (var m in chunk)
                {
                    SqlSession.Bind(command, ("job", m.JobId), ("name", m.Point.Name), ("step", m.Point.Step ?? 0), ("t", Ms(m.Point.Time)), ("value", m.Point.Value));
                    if (command.ExecuteNonQuery() == 0) unchanged++;
                    else written++;
                }
            });
        }
        return new MetricImportResult(written, unchanged);
    }

    /// <summary>Every point of the given jobs (ids as users know them), by job, name and step; a non-finite value reads as absent.</summary>
    /// <remarks>
    /// A job is filed under its raw id (agents) or the id users know (an export of <c>123_4</c>): both are looked up, each on
    /// its own index (<c>job_id</c> is null where it equals the raw id).
    /// </remarks>
    public IReadOnlyList<JobMetric> OfJobs(IReadOnlyCollection<string> jobIds)
    {
        var wanted = jobIds.ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // filed under → the ids users know
        void Own(string key, string id)
        {
            if (!owners.TryGetValue(key, out var set)) owners[key] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(id);
        }
        foreach (var id in wanted) Own(id, id);
        foreach (var chunk in wanted.Chunk(500))
        {
            var args = chunk.Select((id, i) => ($"j{i}", (object?)id)).ToArray();
            var list = string.Join(", ", chunk.Select((_, i) => $"@j{i}"));
            foreach (var r in sql.Rows($"SELECT job_id_raw, job_id FROM jobs WHERE job_id_raw IN ({list})", args))
            {
                var id = r.IsDBNull(1) ? r.GetString(0) : r.GetString(1);
                if (wanted.Contains(id)) Own(r.GetString(0), id);
            }
            foreach (var r in sql.Rows($"SELECT job_id_raw, job_id FROM jobs WHERE job_id IN ({list}) AND job_id IS NOT NULL", args)) Own(r.GetString(0), r.GetString(1));
        }
        var result = new List<JobMetric>();
        var seen = new HashSet<(string, string, long)>();
        foreach (var chunk in owners.Keys.Chunk(500))
        {
            var args = chunk.Select((id, i) => ($"k{i}", (object?)id)).ToArray();
            var list = string.Join(", ", chunk.Select((_, i) => $"@k{i}"));
            foreach (var r in sql.Rows($"SELECT job_id_raw, name, step, t_ms, value FROM job_metrics WHERE job_id_raw IN ({list})", args))
            {
                var value = r.GetDouble(4);
                if (!double.IsFinite(value)) continue;
                var (name, step) = (r.GetString(1), r.GetInt64(2));
                foreach (var id in owners[r.GetString(0)])
                {
                    if (seen.Add((id, name, step))) result.Add(new JobMetric(id, new MetricPoint(name, value, step, r.IsDBNull(3) ? null : FromMs(r.GetInt64(3)))));
                }
            }
        }
        return [.. result.OrderBy(m => m.JobId, StringComparer.Ordinal).ThenBy(m => m.Point.Name, StringComparer.Ordinal).ThenBy(m => m.Point.Step)];
    }

    /// <summary>The keys of job_metrics, and the id users know of each job filed under its raw id (see <see cref="OfJobs"/>).</summary>
    public IReadOnlySet<string> JobsWithMetrics()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in sql.Rows("SELECT m.job_id_raw, j.job_id FROM (SELECT DISTINCT job_id_raw FROM job_metrics) m LEFT JOIN jobs j ON j.job_id_raw = m.job_id_raw"))
        {
            ids.Add(r.GetString(0));
            if (!r.IsDBNull(1)) ids.Add(r.GetString(1));
        }
        return ids;
    }

    /// <summary>The metric's points of the given jobs, by job, in step order; a stored non-finite value reads as absent.</summary>
    public IReadOnlyList<JobMetric> Of(IReadOnlyCollection<string> jobIdsRaw, string name)
    {
        var result = new List<JobMetric>();
        foreach (var chunk in jobIdsRaw.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var args = chunk.Select((id, i) => ($"j{i}", (object?)id)).Append(("name", name)).ToArray();
            var list = string.Join(", ", chunk.Select((_, i) => $"@j{i}"));
            foreach (var r in sql.Rows($"SELECT job_id_raw, step, t_ms, value FROM job_metrics WHERE name = @name AND job_id_raw IN ({list}) ORDER BY job_id_raw, step", args))
            {
                var value = r.GetDouble(3);
                if (!double.IsFinite(value)) continue;
                result.Add(new JobMetric(r.GetString(0), new MetricPoint(name, value, r.GetInt64(1), r.IsDBNull(2) ? null : FromMs(r.GetInt64(2)))));
            }
        }
        return result;
    }
}
