namespace Coca.Core.Metering;

/// <summary>
/// Turns a raw cumulative hardware counter (RAPL µJ, NVML mJ) into monotonic energy in the
/// counter's own integer unit, so that totals stay exact.
/// </summary>
/// <remarks>
/// <para>An increase is energy. A decrease is read with the elapsed time and the device's maximum power, which the
/// caller passes as <c>maxPlausibleDelta</c> (<see cref="PlausibleStep"/>): the most the device could draw since
/// the last reading. When a reading cannot be told apart, the step is rejected (counted as zero, in
/// <see cref="Rejected"/>): one interval is lost rather than energy invented.</para>
/// <list type="bullet">
/// <item>A wrap (the counter passed <see cref="MaxValue"/> and restarted at 0) adds <c>max − prev + cur + 1</c>,
/// when that is plausible. A range smaller than what the device can draw at its maximum power in the interval (a
/// quarter of the plausible step) cannot tell a wrap from a reset (or from two wraps): the step is rejected.</item>
/// <item>A reset (driver reload, reboot) puts the counter back near zero: the new value is the energy since, so the
/// new value must be plausible. A step back by less than a thousandth of the counter's value is a glitch of the
/// reading, not a reset.</item>
/// <item>A step the device could not have drawn is rejected; the baseline moves to the new value, and the value
/// before it (or before a reset) is kept for one reading: a one-sample spike, drop or glitch that comes back counts
/// from there, exactly.</item>
/// </list>
/// <para>The caller samples often enough that at most one wrap happens between readings. Without a plausible step
/// (<see cref="ulong.MaxValue"/>) a decrease on a known range is a wrap.</para>
/// </remarks>
public sealed class EnergyCounter
{
    private ulong _previous;
    private bool _hasPrevious;

    // The baseline before a rejected step, tried once more at the next reading; null: none.
    private ulong? _beforeRejected;

    /// <param name="maxValue">The largest value the counter reaches before wrapping to zero
    /// (RAPL's <c>max_energy_range_uj</c>); null when the counter does not wrap in practice.</param>
    public EnergyCounter(ulong? maxValue = null)
    {
        MaxValue = maxValue is 0 ? null : maxValue;
    }

    public ulong? MaxValue { get; }

    /// <summary>Energy accumulated since the first reading, in the counter's unit.</summary>
    public ulong Total { get; private set; }

    public int Wraps { get; private set; }
    public int Resets { get; private set; }
    public int Rejected { get; private set; }

    public CounterStep Advance(ulong raw, ulong maxPlausibleDelta = ulong.MaxValue)
    {
        if (!_hasPrevious)
        {
            _previous = raw;
            _hasPrevious = true;
            return new CounterStep(0, CounterEvent.First);
        }

        var previous = _previous;
        var before = _beforeRejected;
        _previous = raw;
        _beforeRejected = null;
        var step = Read(previous, raw, maxPlausibleDelta);

        // Back from a spike or a glitch: the value before it counts, when that reads as a smaller plausible increase.
        if (before is { } b && raw >= b && raw - b <= maxPlausibleDelta && (step.Event != CounterEvent.Normal || raw - b < step.Delta))
        {
            step = new CounterStep(raw - b, CounterEvent.Normal);
        }

        if (step.Event == CounterEvent.Implausible || step.Delta > maxPlausibleDelta)
        {
            Rejected++;
            _beforeRejected = before ?? previous;
            return new CounterStep(0, CounterEvent.Implausible);
        }

        if (step.Event == CounterEvent.Wrapped) Wraps++;
        if (step.Event == CounterEvent.Reset)
        {
            Resets++;
            _beforeRejected = previous; // a one-sample drop that comes back was no reset: the next reading checks
        }
        Total += step.Delta;
        return step;
    }

    // The step from one reading to the next, before the plausibility check of its size.
    private CounterStep Read(ulong previous, ulong raw, ulong maxPlausible)
    {
        if (raw >= previous) return new CounterStep(raw - previous, CounterEvent.Normal);
        var bounded = maxPlausible != ulong.MaxValue;
        if (MaxValue is { } max && previous <= max)
        {
            if (!bounded) return new CounterStep(max - previous + raw + 1, CounterEvent.Wrapped);
            // A range the device can run through at full power within the interval: a wrap, a reset, two wraps?
            if (max < maxPlausible / PlausibleStep.Factor) return new CounterStep(0, CounterEvent.Implausible);
            var wrapped = max - previous + raw + 1;
            if (wrapped <= maxPlausible) return new CounterStep(wrapped, CounterEvent.Wrapped);
        }
        // A reset: the new value is the energy since, which must be plausible (checked by the caller of Read).
        // A step back by less than a thousandth of the counter is reading jitter, not a reset.
        return previous - raw > previous / 1024
            ? new CounterStep(raw, CounterEvent.Reset)
            : new CounterStep(0, CounterEvent.Implausible);
    }
}
