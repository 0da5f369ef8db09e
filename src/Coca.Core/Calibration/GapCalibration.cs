using Coca.Core.Attribution.Offline;
using Coca.Core.Units;

namespace Coca.Core.Calibration;

/// <summary>
/// A node's calibration against its meter: the paired intervals, the software gap and the linear model
/// node power ≈ intercept + cpu × (CPU + DRAM power) + gpu × GPU power. A coefficient the data cannot give (no GPU,
/// or GPU power that never changes) is null, never 0.
/// </summary>
public sealed record NodeCalibration(
    string Node,
    int Samples,
    double NodeEnergyJ,
    double ComponentEnergyJ,
    double? GapPct,
    double? R2,
    double? MapePct,
    double? InterceptW,
    double? Cpu,
    double? Gpu);

/// <summary>
/// Pairs a node meter's power with the software components' energy (<c>coca attribute</c>'s readings) over fixed
/// intervals, per node, and measures the gap: (node energy − component energy) / node energy × 100 over the
/// intervals both cover. Components' energy in an interval is interpolated on their cumulative series (spread
/// uniformly between readings, as the engine does); the meter's by the trapezoid rule over its samples. An interval
/// either side does not fully cover is left out, not guessed.
/// </summary>
public static class GapCalibration
{
    public static IReadOnlyList<NodeCalibration> Fit(IReadOnlyDictionary<string, PowerSeries> meters, IReadOnlyList<RecordedSeries> components, double intervalSeconds)
    {
        if (!(intervalSeconds > 0) || double.IsInfinity(intervalSeconds)) throw new ArgumentOutOfRangeException(nameof(intervalSeconds));
        var result = new List<NodeCalibration>();
        foreach (var (node, meter) in meters.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var devices = components.Where(s => s.Node == node && DeviceNames.KindOf(s.Device) != ComponentKind.Other && s.Points.Count >= 2).ToList();
            result.Add(FitNode(node, meter, devices, intervalSeconds));
        }
        return result;
    }

    private static NodeCalibration FitNode(string node, PowerSeries meter, List<RecordedSeries> devices, double width)
    {
        var y = new List<double>();
        var x = new List<double[]>();
        double nodeJ = 0, componentJ = 0;
        if (devices.Count > 0 && meter.Count >= 2)
        {
            var start = Math.Max(meter.Start, devices.Max(d => d.Points[0].Time));
            var end = Math.Min(meter.End, devices.Min(d => d.Points[^1].Time));
            for (var a = start; a + width <= end + 1e-9; a += width)
            {
                var b = a + width;
                if (meter.EnergyBetween(a, b) is not { } n) continue;
                double cpu = 0, gpu = 0;
                foreach (var d in devices)
                {
                    var e = Between(d, a, b);
                    if (DeviceNames.KindOf(d.Device) == ComponentKind.Gpu) gpu += e;
                    else cpu += e;
                }
                nodeJ += n;
                componentJ += cpu + gpu;
                y.Add(n / width);
                x.Add([cpu / width, gpu / width]);
            }
        }
        double? gap = nodeJ > 0 ? (nodeJ - componentJ) / nodeJ * 100 : null;
        var model = LeastSquares.Fit(y, x);
        double? r2 = null, mape = null;
        if (model is not null)
        {
            var mean = y.Average();
            double ssRes = 0, ssTot = 0, ape = 0;
            var apeCount = 0;
            for (var i = 0; i < y.Count; i++)
            {
                var predicted = model[0]!.Value + (model[1] ?? 0) * x[i][0] + (model[2] ?? 0) * x[i][1];
                ssRes += (y[i] - predicted) * (y[i] - predicted);
                ssTot += (y[i] - mean) * (y[i] - mean);
                if (y[i] > 0)
                {
                    ape += Math.Abs(y[i] - predicted) / y[i];
                    apeCount++;
                }
            }
            r2 = ssTot > 0 ? 1 - ssRes / ssTot : null;
            mape = apeCount > 0 ? ape / apeCount * 100 : null;
        }
        return new NodeCalibration(node, y.Count, nodeJ, componentJ, gap, r2, mape, model?[0], model?[1], model?[2]);
    }

    // Joules of a cumulative series in [a, b], interpolated between its readings.
    private static double Between(RecordedSeries s, double a, double b) => (Cumulative(s, b) - Cumulative(s, a)) / 1e6;

    private static double Cumulative(RecordedSeries s, double t)
    {
        var p = s.Points;
        if (t <= p[0].Time) return p[0].CumulativeUj;
        if (t >= p[^1].Time) return p[^1].CumulativeUj;
        int lo = 0, hi = p.Count - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (p[mid].Time <= t) lo = mid;
            else hi = mid;
        }
        return p[lo].CumulativeUj + (p[hi].CumulativeUj - p[lo].CumulativeUj) * (t - p[lo].Time) / (p[hi].Time - p[lo].Time);
    }
}
