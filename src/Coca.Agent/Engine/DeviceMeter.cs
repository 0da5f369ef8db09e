using Coca.Agent.State;
using Coca.Core.Metering;
using Coca.Core.Readings;

namespace Coca.Agent.Engine;

/// <summary>
/// Turns each tick's cumulative readings into the energy of the interval since the device's last good
/// reading. On the first tick after a restart it resumes from the saved raw counter, so the energy drawn
/// while the agent was down is counted once, spread over the time it was down.
/// </summary>
internal sealed class DeviceMeter
{
    // At most this many times a device's maximum power over the gap is believed: more is a reboot or a reload.
    private const double PlausibleFactor = 4.0;

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

    /// <summary>Energy (µJ) of each device since its previous good reading, and when that interval began.</summary>
    public void Advance(double now, ReadOnlySpan<DeviceSample> samples, AgentState state, Span<long> deltaUj, Span<double> from)
    {
        for (var i = 0; i < _devices.Length; i++)
        {
            deltaUj[i] = 0;
            from[i] = now;
            ref readonly var s = ref samples[i];
            if (s.State != DeviceState.Ok) continue;
            if (!_seen[i])
            {
                _seen[i] = true;
                (deltaUj[i], from[i]) = Resume(_devices[i], s, state, now);
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

    private static (long, double) Resume(DeviceInfo device, in DeviceSample sample, AgentState state, double now)
    {
        if (device.CounterUnitUj <= 0 || !state.Devices.TryGetValue(device.Id, out var book) || book.Raw is not { } savedRaw || state.TakenAt <= 0 || now <= state.TakenAt)
        {
            return (0, now);
        }
        var counter = new EnergyCounter(device.CounterMax);
        counter.Advance(savedRaw);
        var plausible = device.MaxPowerW is { } watts and > 0
            ? (ulong)Math.Min(ulong.MaxValue / 2.0, watts * PlausibleFactor * (now - state.TakenAt) * 1e6 / device.CounterUnitUj + 1)
            : ulong.MaxValue;
        var step = counter.Advance(sample.RawCounter, plausible);
        return ((long)(step.Delta * device.CounterUnitUj), state.TakenAt);
    }
}
