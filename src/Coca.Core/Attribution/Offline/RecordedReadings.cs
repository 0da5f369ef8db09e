using System.Globalization;
using Coca.Core.Metering;
using Coca.Core.Units;

namespace Coca.Core.Attribution.Offline;

/// <summary>A device's cumulative energy at one reading (counters unwrapped, power integrated), µJ since its first reading.</summary>
public readonly record struct RecordedPoint(double Time, long CumulativeUj, Provenance Provenance, CounterEvent Event = CounterEvent.First);

/// <summary>One device's readings in time order, as cumulative energy: what its source would have given the agent.</summary>
public sealed record RecordedSeries(string Node, string Device, IReadOnlyList<RecordedPoint> Points)
{
    /// <summary>The energy between the first and the last reading.</summary>
    public Energy Total => Points.Count == 0 ? Energy.Zero : new(Points[^1].CumulativeUj - Points[0].CumulativeUj);
}

/// <summary>
/// Readings CSV (<c>time,node,device,energy_j,power_w,max_energy_j</c>) turned into each device's cumulative series:
/// counters through <see cref="EnergyCounter"/> (wrap at <c>max_energy_j</c>, else a decrease is a reset), power
/// through <see cref="PowerIntegrator"/> (trapezoid rule, <c>derived</c>). Rows may come in any order.
/// </summary>
public static class RecordedReadings
{
    public static readonly string[] Columns = ["time", "node", "device", "energy_j", "power_w", "max_energy_j"];

    private readonly record struct Row(int Line, double Time, double? EnergyJ, double? PowerW, double? MaxJ);

    public static IReadOnlyList<RecordedSeries> Parse(string text, List<string> problems)
    {
        var table = CsvTable.Parse(text, ["time", "node", "device"], "readings");
        problems.AddRange(table.Problems);
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
            if (!TryNumber(table.Get(f, "energy_j"), MaxJoules, out var energy) || !TryNumber(table.Get(f, "power_w"), MaxWatts, out var power) || !TryNumber(table.Get(f, "max_energy_j"), MaxJoules, out var max))
            {
                problems.Add($"readings line {line}: energy_j and max_energy_j must be numbers of joules from 0 to 1e12, power_w of watts from 0 to 1e6, or empty");
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

        var result = new List<RecordedSeries>();
        foreach (var ((node, device), rows) in series)
        {
            rows.Sort((a, b) => a.Time.CompareTo(b.Time));
            var points = new List<RecordedPoint>(rows.Count);
            EnergyCounter? counter = null;
            var integrator = new PowerIntegrator();
            long total = 0;
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
                    var step = counter.Advance((ulong)Math.Round(e * 1e6));
                    // After a stretch of power-only rows the counter's step spans them: not counted twice.
                    if (i > 0 && rows[i - 1].EnergyJ is not null) total += (long)step.Delta;
                    points.Add(new RecordedPoint(cur.Time, total, Provenance.Measured, step.Event));
                    integrator.Break();
                }
                else if (cur.PowerW is { } p)
                {
                    if (i == 0 || rows[i - 1].PowerW is null) integrator.Break();
                    total += integrator.Add(cur.Time, p);
                    points.Add(new RecordedPoint(cur.Time, total, Provenance.Derived));
                }
            }
            result.Add(new RecordedSeries(node, device, points));
        }
        return result;
    }

    /// <summary>A counter in joules: 1e12 J (278 MWh) is beyond any device's, and still exact to the µJ in a long.</summary>
    public const double MaxJoules = 1e12;

    /// <summary>A megawatt: beyond any one device.</summary>
    public const double MaxWatts = 1e6;

    private static bool TryNumber(string text, double max, out double? value)
    {
        value = null;
        if (text.Length == 0) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 && v <= max)
        {
            value = v;
            return true;
        }
        return false;
    }
}
