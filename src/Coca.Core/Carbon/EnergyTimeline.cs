using Coca.Core.Ingest;

namespace Coca.Core.Carbon;

/// <summary>Energy drawn uniformly over [<paramref name="FromMs"/>, <paramref name="ToMs"/>) (Unix ms); an instant when they are equal.</summary>
public readonly record struct EnergySlice(long FromMs, long ToMs, double Kwh);

/// <summary>
/// When a job drew its energy: from its stored series (each device's cumulative energy at each point) where there
/// is one, the rest spread uniformly between its start and end. Which of the two it was is said by
/// <see cref="FromSeries"/>, so that a figure never hides that it assumed a flat draw.
/// </summary>
public sealed record EnergyTimeline(IReadOnlyList<EnergySlice> Slices, bool FromSeries)
{
    /// <summary>The job's energy spread evenly over its run (no series stored for it).</summary>
    public static EnergyTimeline Uniform(long startMs, long endMs, double kwh) =>
        new([new EnergySlice(startMs, Math.Max(startMs, endMs), kwh)], false);

    /// <summary>
    /// The job's series points (cumulative µJ per node and device) give the energy of each interval between two
    /// points, and from the job's start to each device's first point; what the series does not account for (CPU,
    /// DRAM, a device with no points, a counter that went back) is spread over the whole run.
    /// </summary>
    public static EnergyTimeline Of(long startMs, long endMs, double totalKwh, IEnumerable<SeriesPoint> points)
    {
        endMs = Math.Max(startMs, endMs);
        var slices = new List<EnergySlice>();
        double seriesKwh = 0;
        foreach (var device in points.GroupBy(p => (p.Node, p.Device)))
        {
            long previousMs = startMs, previousUj = 0;
            foreach (var p in device.OrderBy(p => p.Time))
            {
                var t = Math.Clamp(p.Time.ToUnixTimeMilliseconds(), startMs, endMs);
                var delta = p.EnergyUj - previousUj;
                if (delta > 0 && t >= previousMs)
                {
                    var kwh = delta / 3.6e12;
                    slices.Add(new EnergySlice(previousMs, t, kwh));
                    seriesKwh += kwh;
                }
                previousMs = Math.Max(previousMs, t);
                previousUj = Math.Max(previousUj, p.EnergyUj);
            }
        }
        if (slices.Count == 0) return Uniform(startMs, endMs, totalKwh);
        var rest = totalKwh - seriesKwh;
        if (rest > 0) slices.Add(new EnergySlice(startMs, endMs, rest));
        else if (rest < 0)
        {
            // The series says more than the job's total (points newer than the total): scale them to the total.
            var scale = totalKwh / seriesKwh;
            for (var i = 0; i < slices.Count; i++) slices[i] = slices[i] with { Kwh = slices[i].Kwh * scale };
        }
        return new EnergyTimeline(slices, true);
    }
}
