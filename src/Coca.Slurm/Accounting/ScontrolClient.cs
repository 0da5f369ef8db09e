using System.Diagnostics;

namespace Coca.Slurm.Accounting;

/// <summary>
/// <c>scontrol show job -o ID</c>: what Slurm allocated to a running job, asked once per job when neither its Prolog
/// record nor a cgroup says. A missing or slow scontrol (3 s) is an unknown answer, never an error.
/// </summary>
public sealed partial class ScontrolClient(string executable = "scontrol")
{
    public int? AllocatedCpus(string jobId)
    {
        try
        {
            var psi = new ProcessStartInfo(executable, ["show", "job", "-o", jobId]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            if (p.WaitForExit(TimeSpan.FromSeconds(3)) && p.ExitCode == 0) return NumCpus(output.Result);
            if (!p.HasExited) p.Kill();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        return null;
    }

    /// <summary>
    /// Whether Slurm says the job is over: a terminal <c>JobState=</c>, or "Invalid job id specified" (purged). False
    /// when scontrol is missing, slow or says anything else: the backstop for a job whose Epilog never recorded its end
    /// must not end a running job.
    /// </summary>
    public bool IsOver(string jobId)
    {
        try
        {
            var psi = new ProcessStartInfo(executable, ["show", "job", "-o", jobId]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(3)))
            {
                p.Kill();
                return false;
            }
            if (error.Result.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return true;
            return p.ExitCode == 0 && IsTerminal(JobState(output.Result));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The <c>JobState=</c> field of <c>scontrol show job -o</c>'s one line; null when absent.</summary>
    public static string? JobState(string oneLine)
    {
        foreach (var field in oneLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (field.StartsWith("JobState=", StringComparison.Ordinal)) return field[9..];
        }
        return null;
    }

    // Slurm's states after which nothing of the job runs on the node.
    private static bool IsTerminal(string? state) => state is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL"
        or "PREEMPTED" or "OUT_OF_MEMORY" or "BOOT_FAIL" or "DEADLINE";

    /// <summary>
    /// <c>scontrol update NodeName=NODE State=DRAIN Reason=…</c>: a hook that cannot record its job drains the node with
    /// the cause (see <see cref="Jobs.HookFailure"/>). False when scontrol is missing, slow (10 s) or refuses.
    /// </summary>
    public bool Drain(string node, string reason)
    {
        try
        {
            var psi = new ProcessStartInfo(executable, ["update", $"NodeName={node}", "State=DRAIN", $"Reason={reason}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            if (p.WaitForExit(TimeSpan.FromSeconds(10))) return p.ExitCode == 0;
            p.Kill();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        return false;
    }

    /// <summary>
    /// The job's standard output file, as <c>scontrol show job -o</c> says (<c>StdOut=</c>, patterns expanded); null
    /// when scontrol is missing, slow (3 s), no longer knows the job, or gives no absolute path.
    /// </summary>
    public string? StdOutPath(string jobId)
    {
        try
        {
            var psi = new ProcessStartInfo(executable, ["show", "job", "-o", jobId]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            if (p.WaitForExit(TimeSpan.FromSeconds(3)) && p.ExitCode == 0) return StdOut(output.Result);
            if (!p.HasExited) p.Kill();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        return null;
    }

    /// <summary>
    /// The <c>StdOut=</c> field of <c>scontrol show job -o</c>'s one line: up to the next <c> Key=</c>, so that a path
    /// with spaces survives; null when absent, empty or not absolute.
    /// </summary>
    public static string? StdOut(string oneLine)
    {
        var match = StdOutField().Match(oneLine.TrimEnd('\n', '\r'));
        if (!match.Success) return null;
        var path = match.Groups[1].Value;
        return path.StartsWith('/') ? path : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:^| )StdOut=(.*?)(?= [A-Za-z][A-Za-z0-9_:/]*=|$)")]
    private static partial System.Text.RegularExpressions.Regex StdOutField();

    /// <summary>The <c>NumCPUs=</c> field of <c>scontrol show job -o</c>'s one line; null when absent.</summary>
    public static int? NumCpus(string oneLine)
    {
        foreach (var field in oneLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (field.StartsWith("NumCPUs=", StringComparison.Ordinal) && int.TryParse(field.AsSpan(8), out var n) && n > 0) return n;
        }
        return null;
    }
}
