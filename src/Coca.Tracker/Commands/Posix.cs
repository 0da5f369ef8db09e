using System.Runtime.InteropServices;

namespace Coca.Tracker.Commands;

internal static partial class Posix
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetPpid();

    [LibraryImport("libc", EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetpgrp")]
    public static partial int TcGetPgrp(int fd);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    public static partial int GetPgrp();

    /// <summary>
    /// True when this process is in the terminal's foreground process group: then a Ctrl-C typed
    /// at the terminal reaches the child directly and must not be sent a second time.
    /// </summary>
    public static bool InForegroundOfTerminal()
    {
        try
        {
            return IsATty(0) == 1 && TcGetPgrp(0) == GetPgrp();
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }
}
