using Coca.Core.Attribution;
using Coca.Core.Readings;

namespace Coca.Core.Metering;

/// <summary>
/// Turns each tick's cumulative readings into the energy of the interval since the device's last good reading. On the
/// first tick after a restart it resumes from the raw counter saved in the books, so the energy drawn while the engine
/// was down is counted once, spread over the time it was down.
/// </summary>
public sealed class DeviceMeter
{
    private readonly DeviceInfo[] _devices;
    private readonly long[] _lastCumulative;
    private readonly double[] _lastTime;
    private readonly bool[] _seen;

    public DeviceMeter(DeviceInfo[] devices)
    {
        _devices = devices;
        _lastCumulative = new long[devices.Length];
        _lastTime = new double[devices.Length];
        _seen = new bool[devices.Length];
    }

    /// <summary>
    /// Energy (µJ) of each device since its previous good reading, when that interval began, and what the counter did
    /// (<paramref name="events"/>: the source's event, or the resume's across a restart).
    /// </summary>
    public void Advance(double now, ReadOnlySpan<DeviceSample> samples, Books books, Span<long> deltaUj, Span<double> from, Span<CounterEvent> events)
    {
        for (var i = 0; i < _devices.Length; i++)
        {
            deltaUj[i] = 0;
            from[i] = now;
            ref readonly var s = ref samples[i];
            events[i] = s.State == DeviceState.Ok ? s.Event : CounterEvent.First;
            if (s.State != DeviceState.Ok) continue;
            if (!_seen[i])
            {
                _seen[i] = true;
                (deltaUj[i], from[i], events[i]) = Resume(_devices[i], s, books, now);
            }
            else
            {
                deltaUj[i] = Math.Max(0, s.EnergyUj - _lastCumulative[i]);
                from[i] = _lastTime[i];
            }
            _lastCumulative[i] = s.EnergyUj;
            _lastTime[i] = now;
        }
    }

    private static (long, double, CounterEvent) Resume(DeviceInfo device, in DeviceSample sample, Books books, double now)
    {
        if (device.CounterUnitUj <= 0 || !books.Devices.TryGetValue(device.Id, out var book) || book.Raw is not { } savedRaw || books.TakenAt <= 0 || now <= books.TakenAt)
        {
            return (0, now, CounterEvent.First);
        }
        var counter = new EnergyCounter(device.CounterMax);
        counter.Advance(savedRaw);
        var step = counter.Advance(sample.RawCounter, PlausibleStep.MaxDelta(device.MaxPowerW, now - books.TakenAt, device.CounterUnitUj));
        return ((long)(step.Delta * device.CounterUnitUj), books.TakenAt, step.Event);
    }
}
