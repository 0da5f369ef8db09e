using Coca.Core.Units;

namespace Coca.Core.Attribution;

/// <summary>
/// One device's energy waiting for its window to close (CPU packages and DRAM wait for the window's CPU shares):
/// the total, since when, its weakest provenance, and each tick's end with the running total after it, so that a
/// job present for part of the window can be given what was drawn while it was there (linear within a tick, as a
/// per-tick split would) rather than a share of the window's average. Allocates only when a window has more ticks
/// than any before it (a short interval, a long housekeeping one).
/// </summary>
public sealed class HeldEnergy
{
    private double[] _at = new double[64];
    private long[] _running = new long[64];
    private int _ticks;

    public long Uj { get; private set; }
    public double From { get; private set; } = double.NaN;
    public Provenance Provenance { get; private set; }

    /// <summary>Whether a window is open (some tick was held since the last <see cref="Clear"/>).</summary>
    public bool Open => !double.IsNaN(From);

    /// <summary>The end of the last tick held.</summary>
    public double To => _at[_ticks - 1];

    /// <summary>One tick's energy over (from, now]; the first one opens the window at <paramref name="from"/>.</summary>
    public void Add(double from, double now, long energyUj, Provenance provenance)
    {
        if (!Open) From = from;
        Uj += energyUj;
        Provenance = (Provenance)Math.Max((int)Provenance, (int)provenance);
        if (_ticks == _at.Length)
        {
            Array.Resize(ref _at, _ticks * 2);
            Array.Resize(ref _running, _ticks * 2);
        }
        _at[_ticks] = now;
        _running[_ticks] = Uj;
        _ticks++;
    }

    /// <summary>The held energy drawn in [start, end], ticks taken as drawn evenly.</summary>
    public double Between(double start, double end) => Until(end) - Until(start);

    public void Clear()
    {
        Uj = 0;
        From = double.NaN;
        Provenance = Provenance.None;
        _ticks = 0;
    }

    private double Until(double t)
    {
        var at = _at.AsSpan(0, _ticks);
        if (at.IsEmpty || t <= From) return 0;
        if (t >= at[^1]) return _running[_ticks - 1];
        var k = at.BinarySearch(t);
        if (k >= 0) return _running[k];
        k = ~k; // the first tick ending after t
        var before = k == 0 ? From : at[k - 1];
        var running = k == 0 ? 0 : _running[k - 1];
        return running + (_running[k] - running) * (t - before) / (at[k] - before);
    }
}
