using Coca.Core.Carbon;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// Grid intensity series per zone (<c>carbon_series</c>): an import is idempotent (keyed by zone and time), and a
/// figure that differs from the stored one replaces it, so that a corrected file or another basis can be applied.
/// </summary>
internal sealed class CarbonSeriesTable(SqlSession sql)
{
    public SeriesImportResult Import(IReadOnlyList<IntensityRow> rows)
    {
        int inserted = 0, updated = 0, unchanged = 0;
        foreach (var zone in rows.GroupBy(r => r.Zone))
        {
            foreach (var chunk in zone.Chunk(50_000))
            {
                sql.InTransaction(() =>
                {
                    var times = chunk.Select(r => r.Time.ToUnixTimeMilliseconds()).ToList();
                    var existing = sql.Rows("SELECT t_ms FROM carbon_series WHERE zone = @zone AND t_ms >= @from AND t_ms <= @to",
                        ("zone", zone.Key), ("from", times.Min()), ("to", times.Max())).Select(r => r.GetInt64(0)).ToHashSet();
                    using var command = sql.Command("""
                        INSERT INTO carbon_series (zone, t_ms, g_per_kwh, basis) VALUES (@zone, @t, @g, @basis)
                        ON CONFLICT (zone, t_ms) DO UPDATE SET g_per_kwh = excluded.g_per_kwh, basis = excluded.basis
                        WHERE carbon_series.g_per_kwh <> excluded.g_per_kwh OR carbon_series.basis <> excluded.basis
                        """);
                    foreach (var r in chunk)
                    {
                        var t = r.Time.ToUnixTimeMilliseconds();
                        SqlSession.Bind(command, ("zone", r.Zone), ("t", t), ("g", r.GramsPerKwh), ("basis", r.Basis));
                        if (command.ExecuteNonQuery() == 0) unchanged++;
                        else if (existing.Contains(t)) updated++;
                        else inserted++;
                    }
                });
            }
        }
        return new SeriesImportResult(inserted, updated, unchanged);
    }

    public StoredIntensity Of(string zone)
    {
        var points = new List<IntensityPoint>();
        var bases = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in sql.Rows("SELECT t_ms, g_per_kwh, basis FROM carbon_series WHERE zone = @zone ORDER BY t_ms", ("zone", zone)))
        {
            var g = r.GetDouble(1);
            if (!double.IsFinite(g) || g < 0) continue; // a figure no import would write reads as absent
            points.Add(new IntensityPoint(FromMs(r.GetInt64(0))!.Value, g));
            bases.Add(r.GetString(2));
        }
        return new StoredIntensity(zone, points, bases.Count == 0 ? null : string.Join("+", bases));
    }
}
