namespace Coca.Slurm.Jobs;

/// <summary>What a Prolog or Epilog that cannot write its record tells Slurm (<c>--on-failure</c>).</summary>
public enum HookFailurePolicy
{
    /// <summary>
    /// Drain the node with a reason naming the cause (<c>scontrol update NodeName=… State=DRAIN Reason=…</c>) and let the
    /// job run: no new job lands on a node whose jobs cannot be measured, and running ones finish. Exit 0; if the drain
    /// itself fails, exit 1 so that Slurm drains the node by its own rule.
    /// </summary>
    Drain,

    /// <summary>Exit 1: Slurm's own reaction to a failing hook (a Prolog's job is requeued and the node drained).</summary>
    Fail,
}

/// <summary>
/// Turns a hook's failure to write into what Slurm understands, per the admin's policy: never silence. The reason goes
/// to stdout (slurmd logs a hook's output) and to the drain reason, which <c>sinfo -R</c> shows.
/// </summary>
public static class HookFailure
{
    public const int DrainedExitCode = 0;
    public const int FailedExitCode = 1;

    public static bool TryParsePolicy(string? text, out HookFailurePolicy policy)
    {
        policy = HookFailurePolicy.Drain;
        switch (text)
        {
            case null or "drain": return true;
            case "fail":
                policy = HookFailurePolicy.Fail;
                return true;
            default: return false;
        }
    }

    /// <param name="drain">Drains the node with a reason; false when that failed.</param>
    /// <returns>The hook's exit code.</returns>
    public static int Handle(HookFailurePolicy policy, string hook, string node, string jobId, Exception error, Func<string, string, bool> drain, TextWriter output)
    {
        var reason = $"coca {hook} cannot record job {jobId}: {error.Message}";
        if (policy == HookFailurePolicy.Fail)
        {
            output.WriteLine($"{reason}; failing the {hook} (--on-failure fail)");
            return FailedExitCode;
        }
        if (drain(node, reason))
        {
            output.WriteLine($"{reason}; node {node} drained (--on-failure drain)");
            return DrainedExitCode;
        }
        output.WriteLine($"{reason}; scontrol could not drain node {node}, failing the {hook} so that Slurm drains it");
        return FailedExitCode;
    }
}
