using System.Runtime.InteropServices;

namespace Coca.Sources.Procfs;

/// <summary>
/// CPU time of every descendant this process has reaped (<c>getrusage(RUSAGE_CHILDREN)</c>): after
/// the measured command exits, the exact CPU time of its whole tree.
/// </summary>
public static partial class ChildrenRusage
{
    private const int RusageChildren = -1;

    public static double CpuSeconds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return 0;
        Span<long> buffer = stackalloc long[18]; // struct rusage on LP64: two timevals then 14 longs
        unsafe
        {
            fixed (long* p = buffer)
            {
                if (GetRusage(RusageChildren, p) != 0) return 0;
            }
        }
        return buffer[0] + buffer[1] / 1e6 + buffer[2] + buffer[3] / 1e6;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static unsafe partial int GetRusage(int who, long* usage);
}
