namespace Coca.Core.Metering;

/// <summary>
/// Turns a raw cumulative hardware counter (RAPL µJ, NVML mJ) into monotonic energy in the
/// counter's own integer unit, so that totals stay exact.
/// </summary>
/// <remarks>
/// A counter with a known range wraps from <see cref="MaxValue"/> to 0, so a decrease adds
/// <c>max − prev + cur + 1</c>. A decrease with no known range is a reset (driver reload): the new
/// value is the energy since the reset. A step larger than <c>maxPlausibleDelta</c> (the most the
/// device can draw in the elapsed time) is neither: it is counted as zero rather than invented.
/// The caller samples often enough that at most one wrap happens between readings.
/// </remarks>
public sealed class EnergyCounter
{
    private ulong _previous;
    private bool _hasPrevious;

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
        _previous = raw;
        CounterStep step;
        if (raw >= previous)
        {
            step = new CounterStep(raw - previous, CounterEvent.Normal);
        }
        else if (MaxValue is { } max && previous <= max)
        {
            var wrapped = max - previous + raw + 1;
            step = wrapped <= maxPlausibleDelta
                ? new CounterStep(wrapped, CounterEvent.Wrapped)
                : new CounterStep(raw, CounterEvent.Reset);
        }
        else
        {
            step = new CounterStep(raw, CounterEvent.Reset);
        }

        if (step.Delta > maxPlausibleDelta)
        {
            Rejected++;
            return new CounterStep(0, CounterEvent.Implausible);
        }

        if (step.Event == CounterEvent.Wrapped) Wraps++;
        if (step.Event == CounterEvent.Reset) Resets++;
        Total += step.Delta;
        return step;
    }
}
