namespace Coca.Core.Accounting;

/// <summary>
/// What a Slurm state says about how a job ended, the same for every listing, sum and API: <c>COMPLETED</c>
/// completed; a final state in <see cref="DidNotComplete"/> did not; anything else (no state yet because sacct
/// has not returned the job, RUNNING, PENDING, REQUEUED, SUSPENDED…) is unknown and counts as neither.
/// </summary>
public static class JobStates
{
    public const string Completed = "COMPLETED";

    /// <summary>The final states of a job that did not complete.</summary>
    public static readonly IReadOnlyList<string> DidNotComplete =
        ["FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE"];

    /// <summary>True when the job completed, false when it ended otherwise, null when it is not known to have ended.</summary>
    public static bool? HasCompleted(string? state) =>
        state == Completed ? true : state is not null && DidNotComplete.Contains(state) ? false : null;
}
