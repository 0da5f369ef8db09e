using Coca.Core.Metering;
using Coca.Core.Units;

namespace Coca.Core.Readings;

/// <summary>State of a device at one sample.</summary>
public enum DeviceState
{
    Ok,
    /// <summary>This reading failed (permission, I/O): the last energy is kept.</summary>
    Unreadable,
    /// <summary>The device is gone (GPU fell off the bus): energy measured before is kept, nothing added.</summary>
    Lost,
}

/// <summary>
/// A device's reading at one tick, written in place by its source so that a tick allocates nothing.
/// Energy is cumulative since the source started, monotonic, in integer microjoules: the energy of
/// an interval is the difference of two samples.
/// </summary>
public struct DeviceSample
{
    public long EnergyUj;
    /// <summary>Provenance of the energy added since the previous sample; <see cref="Provenance.None"/> when nothing could be read.</summary>
    public Provenance Provenance;
    /// <summary>Instantaneous or interval-average power in watts; NaN when unknown.</summary>
    public double PowerW;
    /// <summary>Utilisation 0–1; NaN when unknown.</summary>
    public double Utilisation;
    /// <summary>Device memory in use, bytes; NaN when unknown.</summary>
    public double MemoryUsedBytes;
    public DeviceState State;
    /// <summary>The hardware counter's raw value (unit: <see cref="DeviceInfo.CounterUnitUj"/>); lets a restarted agent resume from the counter.</summary>
    public ulong RawCounter;
    /// <summary>What the hardware counter did at this reading (wrapped, reset, a step rejected): counted per device as counter health.</summary>
    public CounterEvent Event;

    public static DeviceSample Empty => new()
    {
        PowerW = double.NaN,
        Utilisation = double.NaN,
        MemoryUsedBytes = double.NaN,
    };
}
