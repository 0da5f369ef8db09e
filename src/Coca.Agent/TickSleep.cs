using System.Runtime.InteropServices;

namespace Coca.Agent;

/// <summary>
/// The tick thread's sleep: one clock_nanosleep, where the managed wait (a condition variable with a timeout) makes
/// two futex calls and its own bookkeeping at every tick. Sleeps at most a second at a time, so a stop is seen within one.
/// </summary>
internal static partial class TickSleep
{
    private const int ClockMonotonic = 1;
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(1);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Sleeps for <paramref name="wait"/> unless cancelled first; true when cancelled.</summary>
    public static bool For(TimeSpan wait, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var step = wait < Longest ? wait : Longest;
            if (!OperatingSystem.IsLinux() || !Nanosleep(step))
            {
                return cancellationToken.WaitHandle.WaitOne(wait);
            }
            wait -= step;
            if (wait <= TimeSpan.Zero) return cancellationToken.IsCancellationRequested;
        }
        return true;
    }

    // False when the call is unavailable or failed for another reason than a signal (EINTR: the remaining time is not slept, the tick is early).
    private static bool Nanosleep(TimeSpan step)
    {
        var request = new Timespec { Seconds = step.Ticks / TimeSpan.TicksPerSecond, Nanoseconds = step.Ticks % TimeSpan.TicksPerSecond * 100 };
        try
        {
            var rc = ClockNanosleep(ClockMonotonic, 0, ref request, IntPtr.Zero);
            return rc == 0 || rc == 4; // 4: EINTR
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref Timespec request, IntPtr remain);
}
