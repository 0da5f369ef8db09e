using System.Globalization;
using Coca.Core.Metering;

namespace Coca.Core.Attribution.Offline;

/// <summary>One device's energy between two of its readings.</summary>
public readonly record struct RecordedInterval(string Node, string Device, double Start, double End, long EnergyUj);

/// <summary>
/// Readings CSV (<c>time,node,device,energy_j,power_w,max_energy_j</c>) turned into per-device intervals:
/// cumulative counters through <see cref="EnergyCounter"/> (wrap at <c>max_energy_j</c>, else a decrease is
/// a reset), power through the trapezoid rule. Rows may come in any order.
/// </summary>
public static class RecordedReadings
{
    public static readonly string[] Columns = ["time", "node", "device", "energy_j", "power_w", "max_energy_j"];

    private readonly record struct Row(int Line, double Time, double? EnergyJ, double? PowerW, double? MaxJ);

    public static IReadOnlyList<RecordedInterval> Parse(string text, List<string> problems)
    {
        var table = CsvTable.Parse(text, ["time", "node", "device"], "readings");
        var series = new Dictionary<(string Node, string Device), List<Row>>();
        foreach (var (line, f) in table.Rows)
        {
            var node = table.Get(f, "node");
            var device = table.Get(f, "device");
            if (node.Length == 0 || device.Length == 0)
            {
                problems.Add($"readings line {line}: node and device are required");
                continue;
            }
            if (!TimeParser.TryParse(table.Get(f, "time"), out var time, out var timeError))
            {
                problems.Add($"readings line {line}: {timeError}");
                continue;
            }
            if (!TryNumber(table.Get(f, "energy_j"), out var energy) || !TryNumber(table.Get(f, "power_w"), out var power) || !TryNumber(table.Get(f, "max_energy_j"), out var max))
            {
                problems.Add($"readings line {line}: energy_j, power_w and max_energy_j must be numbers ≥ 0 or empty");
                continue;
            }
            if (energy is null && power is null)
            {
                problems.Add($"readings line {line}: neither energy_j nor power_w given");
                continue;
            }
            if (!series.TryGetValue((node, device), out var list)) series[(node, device)] = list = [];
            list.Add(new Row(line, time, energy, power, max));
        }

        var intervals = new List<RecordedInterval>();
        foreach (var ((node, device), rows) in series)
        {
            rows.Sort((a, b) => a.Time.CompareTo(b.Time));
            EnergyCounter? counter = null;
            for (var i = 0; i < rows.Count; i++)
            {
                var cur = rows[i];
                if (i > 0 && cur.Time == rows[i - 1].Time)
                {
                    problems.Add($"readings line {cur.Line}: second reading of {node}/{device} at the same time, skipped");
                    rows.RemoveAt(i--);
                    continue;
                }
                if (cur.EnergyJ is { } e)
                {
                    counter ??= new EnergyCounter(cur.MaxJ is { } m ? (ulong)Math.Round(m * 1e6) : null);
                    var before = counter.Total;
                    var first = i == 0 || rows[i - 1].EnergyJ is null;
                    counter.Advance((ulong)Math.Round(e * 1e6));
                    if (!first) intervals.Add(new RecordedInterval(node, device, rows[i - 1].Time, cur.Time, (long)(counter.Total - before)));
                }
                else if (i > 0 && cur.PowerW is { } p && rows[i - 1].PowerW is { } q)
                {
                    var uj = (long)Math.Round((p + q) / 2 * (cur.Time - rows[i - 1].Time) * 1e6);
                    intervals.Add(new RecordedInterval(node, device, rows[i - 1].Time, cur.Time, uj));
                }
            }
        }
        return intervals;
    }

    private static bool TryNumber(string text, out double? value)
    {
        value = null;
        if (text.Length == 0) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v))
        {
            value = v;
            return true;
        }
        return false;
    }
}
