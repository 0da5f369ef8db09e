using System.Runtime.InteropServices;

namespace Coca.Bench;

/// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), and of a process from /proc/PID/stat.</summary>
internal static partial class ThreadCpu
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

    /// <summary>utime + stime of a process, seconds.</summary>
    public static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

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
