using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Coca.Sources.Procfs;
using Coca.Tracker.Results;
using Coca.Tracker.Scopes;

namespace Coca.Tracker.Commands;

/// <summary>Why a command could not be started (shell conventions: 127 not found, 126 not executable).</summary>
public sealed class CommandStartException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Runs a command under an <see cref="EmissionsTracker"/> — the engine of <c>coca run</c>. The
/// command inherits the terminal; SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to coca are passed on
/// to it, and coca waits for it to end, so nothing is left behind.
/// </summary>
public static class CommandRunner
{
    public static async Task<RunResult> RunAsync(IReadOnlyList<string> command, string project, TrackerOptions options, CancellationToken cancellationToken = default)
    {
        if (command.Count == 0) throw new ArgumentException("no command given: put it after `--`, e.g. coca run -- python train.py");

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
        options.Command ??= CommandLineText(command);
        // The command's metrics (`coca metric`, log_metric) go to a file of this run's, read at the end.
        var ownMetricsFile = options.MetricsFile is null;
        options.MetricsFile ??= Path.Combine(Path.GetTempPath(), $"coca-metrics-{Guid.NewGuid():N}.csv");
        start.Environment[RunMetrics.Variable] = options.MetricsFile;
        try
        {
            return await RunAsync(start, command[0], project, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownMetricsFile) TryDelete(options.MetricsFile);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static async Task<RunResult> RunAsync(ProcessStartInfo start, string program, string project, TrackerOptions options, CancellationToken cancellationToken)
    {
        // The tracker first, then the command: its first sample must precede the command's first instruction.
        var scope = new ProcessTreeScope(options.Sources.ProcfsRoot, ChildrenRusage.CpuSeconds());
        options.CpuScope = scope;
        var tracker = EmissionsTracker.Start(project, options);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CommandStartException($"cannot run '{program}'", 127);
        }
        catch (Win32Exception e)
        {
            tracker.Discard();
            var code = e.NativeErrorCode == 13 ? 126 : 127; // EACCES: found but not executable
            throw new CommandStartException($"cannot run '{program}': {e.Message}", code);
        }
        catch
        {
            tracker.Discard();
            throw;
        }

        using (process)
        {
            scope.Attach(process.Id);
            using var forward = ForwardSignals(process);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return tracker.Stop(process.ExitCode);
        }
    }

    public static string CommandLineText(IEnumerable<string> command) =>
        string.Join(' ', command.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private static SignalForwarding ForwardSignals(Process child)
    {
        var registrations = new List<PosixSignalRegistration>();
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return new SignalForwarding(registrations);
        var foreground = Posix.InForegroundOfTerminal();
        void Register(PosixSignal signal, int number, bool terminalDelivers)
        {
            registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true; // coca keeps running until the child has ended and its energy is recorded
                if (!(terminalDelivers && foreground))
                {
                    Posix.Kill(child.Id, number);
                }
            }));
        }
        Register(PosixSignal.SIGINT, Posix.SIGINT, terminalDelivers: true);
        Register(PosixSignal.SIGQUIT, Posix.SIGQUIT, terminalDelivers: true);
        Register(PosixSignal.SIGTERM, Posix.SIGTERM, terminalDelivers: false);
        Register(PosixSignal.SIGHUP, Posix.SIGHUP, terminalDelivers: false);
        return new SignalForwarding(registrations);
    }

    private static void TryKill(Process p)
    {
        try
        {
            p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private sealed class SignalForwarding(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
