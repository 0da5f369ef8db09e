using System.Globalization;
using System.Runtime.InteropServices;
using Coca.Tracker.Results;
using Coca.Tracker.Scopes;

namespace Coca.Tracker.Commands;

/// <summary>
/// Measures a process coca did not start, and every process below it — the engine of <c>coca track --pid</c>,
/// which language bindings call. The same tracker and attribution as <see cref="CommandRunner"/>; it ends when the
/// process does, or when coca is asked to stop (SIGINT, SIGTERM, SIGHUP, or the token).
/// </summary>
public static class PidTracker
{
    // How often the process is looked for between samples: its end is noticed within this, whatever the interval.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <param name="started">Called once the first sample is taken: from then on, the process's work is measured.</param>
    public static async Task<RunResult> TrackAsync(int pid, string project, TrackerOptions options, Action? started = null, CancellationToken cancellationToken = default)
    {
        if (pid <= 0) throw new ArgumentException($"--pid must be a positive process id, got {pid}");
        var directory = Path.Combine(options.Sources.ProcfsRoot, pid.ToString(CultureInfo.InvariantCulture));
        if (!IsRunning(directory)) throw new ArgumentException($"no running process with pid {pid}");
        options.Command ??= CommandLine(directory) ?? $"pid {pid}";
        options.CpuScope = ProcessTreeScope.Existing(options.Sources.ProcfsRoot, pid, selfInTree: ParentPid() == pid);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = StopOnSignals(stop);
        var tracker = EmissionsTracker.Start(project, options);
        started?.Invoke();
        try
        {
            var poll = options.Interval < Poll ? options.Interval : Poll;
            while (IsRunning(directory)) await Task.Delay(poll, options.TimeProvider, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        // Not coca's child: its exit code is its parent's to read.
        return tracker.Stop(exitCode: null);
    }

    // A zombie has ended: its CPU time is final and it is waiting for its parent, not working.
    private static bool IsRunning(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X' or 'x');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? CommandLine(string directory)
    {
        try
        {
            var words = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 0 ? CommandRunner.CommandLineText(words) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int ParentPid() => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Posix.GetPpid() : 0;

    private static Registrations StopOnSignals(CancellationTokenSource stop)
    {
        var list = new List<PosixSignalRegistration>();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            {
                list.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true; // the result is written before coca exits
                    stop.Cancel();
                }));
            }
        }
        return new Registrations(list);
    }

    private sealed class Registrations(List<PosixSignalRegistration> list) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in list) r.Dispose();
        }
    }
}
