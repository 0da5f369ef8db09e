using Coca.Core.Units;

namespace Coca.Core.Metering;

/// <summary>
/// A node meter's readings, as they arrive from its poller, turned into cumulative energy at each tick (µJ), without
/// counting a reading twice. A meter with an energy counter is read through <see cref="EnergyCounter"/>, like RAPL
/// (<c>measured</c>); a meter that only gives power is integrated over the ticks' time with the last power held
/// until the meter refreshes (<c>derived</c>). Holding, rather than a trapezoid between readings, is what a slow BMC
/// calls for: it refreshes about once a minute, and each second between refreshes is counted once, at the power the
/// meter said last; a repeated stale value is the same held power, never a new sample. A meter silent for longer
/// than <see cref="StaleAfterSeconds"/> is unreadable: nothing is invented for the time it said nothing.
/// </summary>
public sealed class NodeMeterIntegrator
{
    private readonly EnergyCounter _counter = new();
    private MeterReading? _last;
    private double _heldWatts = double.NaN;
    private double _integratedTo = double.NaN;
    private double _answeredAt = double.NaN;
    private double _remainderUj;

    public NodeMeterIntegrator(double staleAfterSeconds)
    {
        if (!(staleAfterSeconds > 0) || double.IsInfinity(staleAfterSeconds)) throw new ArgumentOutOfRangeException(nameof(staleAfterSeconds));
        StaleAfterSeconds = staleAfterSeconds;
    }

    public double StaleAfterSeconds { get; }

    /// <summary>Energy since the first reading, µJ.</summary>
    public long TotalUj { get; private set; }

    /// <summary>Whether the meter's counter is used (<c>measured</c>) rather than its power (<c>derived</c>).</summary>
    public bool UsesCounter { get; private set; }

    /// <summary>The counter's raw value in mJ (the unit of <see cref="EnergyCounter"/> here); 0 without a counter.</summary>
    public ulong RawMillijoules { get; private set; }

    /// <summary>Readings taken as new samples, and readings dropped as repeats of the last one.</summary>
    public long Samples { get; private set; }
    public long Repeats { get; private set; }

    public Provenance Provenance => UsesCounter ? Provenance.Measured : Provenance.Derived;

    /// <summary>The last power the meter gave, W; NaN before any.</summary>
    public double Watts => _last?.Watts ?? double.NaN;

    /// <summary>
    /// Takes <paramref name="latest"/> (the poller's last reading; the same object again when nothing new came: a new
    /// object is a new answer of the meter, dated by the tick that first sees it) and
    /// moves the total to <paramref name="now"/>. Returns whether the meter is readable now: it answered within
    /// <see cref="StaleAfterSeconds"/>. <paramref name="step"/> is the counter's event at a new counter reading.
    /// </summary>
    public bool Advance(double now, MeterReading? latest, out CounterEvent step)
    {
        step = CounterEvent.Normal;
        if (latest is not null && !ReferenceEquals(latest, _last))
        {
            // A new answer, seen at this tick: the tick's clock, not the poller's, says how old it is.
            if (latest.RepeatOf(_last)) Repeats++;
            else Take(now, latest, ref step);
            _last = latest;
            _answeredAt = now;
        }
        if (_last is null) return false;
        var fresh = now - _answeredAt <= StaleAfterSeconds;
        if (!UsesCounter) Hold(now, fresh);
        return fresh;
    }

    private void Take(double now, MeterReading reading, ref CounterEvent step)
    {
        Samples++;
        if (reading.EnergyJoules is { } joules && double.IsFinite(joules) && joules >= 0)
        {
            UsesCounter = true;
            RawMillijoules = (ulong)Math.Round(joules * 1000);
            var counted = _counter.Advance(RawMillijoules);
            step = counted.Event;
            TotalUj += (long)counted.Delta * 1000;
            return;
        }
        if (UsesCounter) return; // a meter that gave a counter once is read by it: a power-only reading adds nothing
        Hold(now, fresh: now - _answeredAt <= StaleAfterSeconds); // the time before this reading, at the power held until now (unless it went stale)
        _heldWatts = reading.Watts is { } w && double.IsFinite(w) && w >= 0 ? w : double.NaN;
        if (double.IsNaN(_heldWatts)) step = CounterEvent.First;
    }

    // The held power over the time since the last tick; a stale or unknown power adds nothing, and time passes.
    private void Hold(double now, bool fresh)
    {
        if (!double.IsNaN(_integratedTo) && now > _integratedTo && fresh && !double.IsNaN(_heldWatts))
        {
            var exact = _heldWatts * (now - _integratedTo) * 1e6 + _remainderUj;
            var whole = (long)Math.Floor(exact + 1e-6);
            _remainderUj = exact - whole;
            TotalUj += whole;
        }
        if (double.IsNaN(_integratedTo) || now > _integratedTo) _integratedTo = now;
    }
}
