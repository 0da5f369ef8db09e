using Coca.Core.Ingest;

namespace Coca.Server.Dashboard;

/// <summary>One figure of a device's power line: sampled by the agent, or derived from the job's energy on that device between two points.</summary>
internal sealed record PowerPoint(string Device, DateTimeOffset Time, double? PowerW, bool Derived, double? Utilisation, long EnergyUj);

/// <summary>
/// A job's stored series as the page plots it: per node and device (<c>n1 gpu:GPU-…</c>), power over time. Where the
/// agent sent no power figure, the power is the energy between this point and the previous one over the time between
/// them, marked derived; a first point without one stays unknown.
/// </summary>
internal static class JobSeries
{
    /// <summary>Most points drawn per line; the table and the CSV keep every one.</summary>
    public const int MaxDrawn = 600;

    public static IReadOnlyList<PowerPoint> Power(IReadOnlyList<SeriesPoint> points)
    {
        var result = new List<PowerPoint>(points.Count);
        foreach (var device in points.GroupBy(p => p.Node + " " + p.Device).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            SeriesPoint? previous = null;
            foreach (var p in device.OrderBy(p => p.Time))
            {
                double? power = p.PowerW is { } w && double.IsFinite(w) && w >= 0 ? w : null;
                var derived = false;
                if (power is null && previous is not null && p.Time > previous.Time && p.EnergyUj >= previous.EnergyUj)
                {
                    power = (p.EnergyUj - previous.EnergyUj) / 1e6 / (p.Time - previous.Time).TotalSeconds;
                    derived = true;
                }
                result.Add(new PowerPoint(device.Key, p.Time, power, derived, p.Utilisation is { } u && double.IsFinite(u) ? u : null, p.EnergyUj));
                previous = p;
            }
        }
        return result;
    }

    /// <summary>The lines of a chart, one per device, x in seconds since <paramref name="origin"/>, thinned to <see cref="MaxDrawn"/> points by averaging neighbours.</summary>
    public static IReadOnlyList<ChartSeries> Lines(IReadOnlyList<PowerPoint> points, DateTimeOffset origin, Func<PowerPoint, double?> value) =>
        [.. points.GroupBy(p => p.Device).Select(g =>
        {
            var known = g.Where(p => value(p) is not null).Select(p => (X: (p.Time - origin).TotalSeconds, Y: value(p)!.Value)).ToList();
            var step = Math.Max(1, (int)Math.Ceiling(known.Count / (double)MaxDrawn));
            var drawn = step == 1 ? known : [.. known.Chunk(step).Select(c => (c.Average(p => p.X), c.Average(p => p.Y)))];
            return new ChartSeries(g.Key, drawn);
        })];
}
