using Coca.Core.Ingest;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>Per-device time series of a job (energy, power, utilisation): written idempotently, read per job, pruned by age.</summary>
internal sealed class SeriesTable(SqlSession sql)
{
    public void Upsert(IReadOnlyList<SeriesPoint> points)
    {
        sql.InTransaction(() =>
        {
            using var command = sql.Command("""
                INSERT INTO series (job_id_raw, node, device, t_ms, energy_uj, power_w, util) VALUES (@job, @node, @device, @t, @e, @p, @u)
                ON CONFLICT (job_id_raw, node, device, t_ms) DO NOTHING
                """);
            foreach (var p in points)
            {
                SqlSession.Bind(command, ("job", p.JobIdRaw), ("node", p.Node), ("device", p.Device), ("t", Ms(p.Time)), ("e", p.EnergyUj), ("p", p.PowerW), ("u", p.Utilisation));
                command.ExecuteNonQuery();
            }
        });
    }

    public IReadOnlyList<SeriesPoint> Of(string jobIdRaw)
    {
        return sql.Rows("SELECT node, device, t_ms, energy_uj, power_w, util FROM series WHERE job_id_raw = @job ORDER BY device, t_ms", ("job", jobIdRaw))
            .Select(r => new SeriesPoint(jobIdRaw, r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2))!.Value, r.GetInt64(3),
                r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5)))
            .ToList();
    }

    public int Prune(DateTimeOffset olderThan) => sql.Execute("DELETE FROM series WHERE t_ms < @t", ("t", Ms(olderThan)));
}
