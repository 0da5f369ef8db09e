using System.Globalization;
using Coca.Core.Analysis;
using Coca.Core.Ingest;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The node meters' energy beside the components' (migration 8), for <c>coca findings</c>' software-vs-wall gap. An agent
/// reports its meter's account cumulatively (<see cref="NodeMeterTotals"/>); the step since the node's last report is
/// added to the hour the new report was taken in (agents push every few seconds to minutes, so a step rarely straddles an
/// hour; the gap is a ratio of sums, which that placement does not change). The first report of a node, or one whose
/// figures went down (the agent's books were reset), counts whole: its books began then. An older report than the last
/// is ignored; a replayed batch never arrives here (batches are recorded once).
/// </summary>
internal sealed class NodeMeterTable(SqlSession sql)
{
    private const long HourMs = 3_600_000;

    public void Record(string node, NodeMeterTotals report)
    {
        sql.InTransaction(() =>
        {
            var asOf = Ms(report.AsOf)!.Value;
            var last = sql.Rows("SELECT meter_uj, components_uj, as_of_ms FROM node_meter_totals WHERE node = @node", ("node", node))
                .Select(r => (Meter: r.GetInt64(0), Components: r.GetInt64(1), AsOf: r.GetInt64(2))).FirstOrDefault();
            var known = last != default;
            if (known && asOf <= last.AsOf) return;
            var continues = known && report.MeterUj >= last.Meter && report.ComponentsUj >= last.Components;
            var meterStep = continues ? report.MeterUj - last.Meter : report.MeterUj;
            var componentsStep = continues ? report.ComponentsUj - last.Components : report.ComponentsUj;
            sql.Execute("""
                INSERT INTO node_meter_totals (node, device, meter_uj, components_uj, as_of_ms) VALUES (@node, @device, @meter, @components, @asof)
                ON CONFLICT (node) DO UPDATE SET device = excluded.device, meter_uj = excluded.meter_uj, components_uj = excluded.components_uj, as_of_ms = excluded.as_of_ms
                """, ("node", node), ("device", report.Device), ("meter", report.MeterUj), ("components", report.ComponentsUj), ("asof", asOf));
            if (meterStep == 0 && componentsStep == 0) return; // the meter covered nothing since: no hour to count
            sql.Execute("""
                INSERT INTO node_meter_hours (node, hour_ms, meter_uj, components_uj) VALUES (@node, @hour, @meter, @components)
                ON CONFLICT (node, hour_ms) DO UPDATE SET meter_uj = node_meter_hours.meter_uj + excluded.meter_uj,
                    components_uj = node_meter_hours.components_uj + excluded.components_uj
                """, ("node", node), ("hour", asOf - (((asOf % HourMs) + HourMs) % HourMs)), ("meter", meterStep), ("components", componentsStep));
        });
    }

    /// <summary>Per node, the hours with meter data in [<paramref name="since"/>, <paramref name="until"/>) and their sums (J).</summary>
    public IReadOnlyList<NodeMeterSum> Sums(DateTimeOffset? since, DateTimeOffset? until)
    {
        var where = new List<string>();
        var args = new List<(string, object?)>();
        // An hour counts when it starts in the period (hours are whole: the period's ends are taken to the hour).
        if (since is not null) { where.Add("hour_ms >= @since"); args.Add(("since", Ms(since)!.Value / HourMs * HourMs)); }
        if (until is not null) { where.Add("hour_ms < @until"); args.Add(("until", Ms(until))); }
        var query = $"""
            SELECT node, COUNT(*), CAST(SUM(meter_uj) AS DOUBLE PRECISION), CAST(SUM(components_uj) AS DOUBLE PRECISION)
            FROM node_meter_hours {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} GROUP BY node ORDER BY node
            """;
        return sql.Rows(query, [.. args]).Select(r => new NodeMeterSum(r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
            Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture) / 1e6, Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture) / 1e6)).ToList();
    }
}
