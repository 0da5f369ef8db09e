namespace Coca.Core.Carbon;

/// <summary>One grid carbon-intensity figure of a zone, in force from <paramref name="Time"/> for the series' step.</summary>
public readonly record struct IntensityPoint(DateTimeOffset Time, double GramsPerKwh);

/// <summary>
/// A zone's grid intensity over time as a step function: each point is in force from its time until the next point,
/// but never longer than the series' step (its shortest spacing: 15 min for eCO2mix, an hour for Electricity Maps), so
/// that a missing hour is a gap the caller fills with the yearly figure, never the previous hour stretched over it.
/// Integrals over any interval cost two binary searches (prefix sums), which is what lets a recompute go over
/// millions of jobs.
/// </summary>
public sealed class IntensitySeries
{
    private readonly long[] _t;          // point times, Unix ms, ascending
    private readonly double[] _g;        // g/kWh of each point
    private readonly long[] _until;      // end of each point's validity
    private readonly double[] _cumGramMs; // Σ g/kWh × ms of the points before i
    private readonly long[] _cumCovered;  // Σ ms covered by the points before i

    /// <summary>The series' step, ms: how long one point stays in force at most.</summary>
    public long StepMs { get; }

    public int Count => _t.Length;

    public DateTimeOffset? First => _t.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_t[0]);

    public DateTimeOffset? Last => _t.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_until[^1]);

    /// <param name="points">Any order; a time given twice keeps its last figure.</param>
    /// <param name="stepMs">How long one point stays in force at most; null: the shortest spacing between points (1 h for one point).</param>
    public IntensitySeries(IEnumerable<IntensityPoint> points, long? stepMs = null)
    {
        var byTime = new SortedDictionary<long, double>();
        foreach (var p in points)
        {
            if (!double.IsFinite(p.GramsPerKwh) || p.GramsPerKwh < 0) throw new ArgumentException($"intensity at {p.Time:O} must be a number ≥ 0 g/kWh, got {p.GramsPerKwh}");
            byTime[p.Time.ToUnixTimeMilliseconds()] = p.GramsPerKwh;
        }
        _t = [.. byTime.Keys];
        var g = _g = byTime.Values.ToArray();
        var step = stepMs ?? 3_600_000L;
        if (stepMs is null && _t.Length > 1)
        {
            step = long.MaxValue;
            for (var i = 1; i < _t.Length; i++) step = Math.Min(step, _t[i] - _t[i - 1]);
        }
        if (step <= 0) throw new ArgumentException("the series' step must be > 0");
        StepMs = step;
        _until = new long[_t.Length];
        _cumGramMs = new double[_t.Length + 1];
        _cumCovered = new long[_t.Length + 1];
        for (var i = 0; i < _t.Length; i++)
        {
            _until[i] = i + 1 < _t.Length ? Math.Min(_t[i + 1], _t[i] + step) : _t[i] + step;
            var span = _until[i] - _t[i];
            _cumGramMs[i + 1] = _cumGramMs[i] + g[i] * span;
            _cumCovered[i + 1] = _cumCovered[i] + span;
        }
    }

    /// <summary>The figure in force at a moment, or null where the series says nothing.</summary>
    public double? At(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds();
        var i = Index(ms);
        return i >= 0 && ms < _until[i] ? _g[i] : null;
    }

    /// <summary>∫ intensity dt over [from, to) where the series is in force (g/kWh × ms), and how many ms that covers.</summary>
    public (double GramMs, long CoveredMs) Integrate(long fromMs, long toMs)
    {
        if (toMs <= fromMs || _t.Length == 0) return (0, 0);
        var (gTo, cTo) = Cumulative(toMs);
        var (gFrom, cFrom) = Cumulative(fromMs);
        return (gTo - gFrom, cTo - cFrom);
    }

    // The integral and the coverage from the series' beginning up to a moment.
    private (double GramMs, long CoveredMs) Cumulative(long ms)
    {
        var i = Index(ms);
        if (i < 0) return (0, 0);
        var inside = Math.Clamp(ms - _t[i], 0, _until[i] - _t[i]);
        return (_cumGramMs[i] + _g[i] * inside, _cumCovered[i] + inside);
    }

    // The last point at or before ms; -1 when none.
    private int Index(long ms)
    {
        var i = Array.BinarySearch(_t, ms);
        return i >= 0 ? i : ~i - 1;
    }
}
