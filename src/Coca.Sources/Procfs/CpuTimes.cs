namespace Coca.Sources.Procfs;

/// <summary>The machine's cumulative CPU time from the first line of <c>/proc/stat</c>, in clock ticks (USER_HZ).</summary>
public readonly record struct CpuTimes(ulong Busy, ulong Total)
{
    /// <summary>Linux reports <c>/proc</c> CPU times in USER_HZ, 100 per second on every architecture it supports.</summary>
    public const double TicksPerSecond = 100.0;

    public double BusySeconds => Busy / TicksPerSecond;

    /// <summary>Share of the CPU time between two readings that was busy, 0–1; NaN when no time passed.</summary>
    public static double Utilisation(CpuTimes before, CpuTimes after)
    {
        var total = after.Total - before.Total;
        return total == 0 || after.Total < before.Total ? double.NaN : Math.Clamp((after.Busy - before.Busy) / (double)total, 0, 1);
    }
}
