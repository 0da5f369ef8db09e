using System.Runtime.InteropServices;

namespace Coca.Bench;

/// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), and of another process (its CPU-time clock).</summary>
internal static unsafe partial class ThreadCpu
{
    public static long Nanoseconds()
    {
        Span<long> ts = stackalloc long[2];
        unsafe
        {
            fixed (long* p = ts) ClockGetTime(3, p);
        }
        return ts[0] * 1_000_000_000 + ts[1];
    }

    /// <summary>
    /// CPU time of a process, all its threads, seconds: its CPU-time clock (clock_getcpuclockid), the utime + stime
    /// of /proc/PID/stat at nanosecond resolution instead of 10 ms ticks (a scrape costs tens of microseconds).
    /// </summary>
    public static double ProcessSeconds(int pid)
    {
        int clock;
        if (ClockGetCpuClockId(pid, &clock) != 0) return StatSeconds(pid);
        Span<long> ts = stackalloc long[2];
        fixed (long* p = ts)
        {
            if (ClockGetTime(clock, p) != 0) return StatSeconds(pid);
        }
        return ts[0] + ts[1] / 1e9;
    }

    private static double StatSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    [LibraryImport("libc", EntryPoint = "clock_getcpuclockid")]
    private static partial int ClockGetCpuClockId(int pid, int* clock);

    /// <summary>VmRSS and VmHWM of a process, kB.</summary>
    public static (long Rss, long Hwm) Memory(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return (rss, hwm);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, long* timespec);
}
