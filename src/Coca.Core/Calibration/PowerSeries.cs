namespace Coca.Core.Calibration;

/// <summary>
/// A node meter's power samples in time order, and the energy between two times by the trapezoid rule over them
/// (linear between samples). Unknown (null) where the samples do not cover the span or leave a gap longer than
/// <see cref="MaxGapSeconds"/> in it: a stopped logger is not bridged.
/// </summary>
public sealed class PowerSeries
{
    private readonly double[] _t;
    private readonly double[] _w;

    /// <param name="samples">(Unix seconds, W), any order; a second sample at the same time is dropped.</param>
    public PowerSeries(IEnumerable<(double Time, double Watts)> samples, double maxGapSeconds = 10)
    {
        var sorted = samples.OrderBy(s => s.Time).ToList();
        var t = new List<double>(sorted.Count);
        var w = new List<double>(sorted.Count);
        foreach (var (time, watts) in sorted)
        {
            if (t.Count > 0 && time == t[^1]) continue;
            t.Add(time);
            w.Add(watts);
        }
        _t = [.. t];
        _w = [.. w];
        MaxGapSeconds = maxGapSeconds;
    }

    public double MaxGapSeconds { get; }
    public int Count => _t.Length;
    public double Start => _t.Length > 0 ? _t[0] : double.NaN;
    public double End => _t.Length > 0 ? _t[^1] : double.NaN;

    /// <summary>Joules drawn in [from, to]; null where not covered.</summary>
    public double? EnergyBetween(double from, double to)
    {
        if (_t.Length < 2 || from < _t[0] || to > _t[^1] || to <= from) return null;
        var i = Array.BinarySearch(_t, from);
        if (i < 0) i = ~i - 1; // the sample at or before from
        var joules = 0.0;
        for (; i < _t.Length - 1 && _t[i] < to; i++)
        {
            var (t0, t1) = (_t[i], _t[i + 1]);
            if (t1 - t0 > MaxGapSeconds) return null;
            var a = Math.Max(t0, from);
            var b = Math.Min(t1, to);
            if (b <= a) continue;
            joules += (At(i, a) + At(i, b)) / 2 * (b - a);
        }
        return joules;
    }

    private double At(int i, double t) => _w[i] + (_w[i + 1] - _w[i]) * (t - _t[i]) / (_t[i + 1] - _t[i]);
}
