namespace Coca.Core.Metering;

/// <summary>What happened to a raw cumulative counter between two readings.</summary>
public enum CounterEvent
{
    /// <summary>The first reading: it only sets the baseline.</summary>
    First,
    /// <summary>The counter went up by a plausible amount.</summary>
    Normal,
    /// <summary>The counter passed its maximum and started again from zero.</summary>
    Wrapped,
    /// <summary>The counter went back with no known range (driver reload, reboot): the new value is the energy since the reset.</summary>
    Reset,
    /// <summary>The step was larger than the device could have consumed: counted as zero, baseline moved.</summary>
    Implausible,
}

/// <summary>One step of a counter: the energy it adds, in the counter's unit, and why.</summary>
public readonly record struct CounterStep(ulong Delta, CounterEvent Event);
