namespace Coca.Tracker.Scopes;

/// <summary>Whose CPU time the tracker charges: this process, or a command's process tree.</summary>
public interface ICpuScope
{
    string Description { get; }

    /// <summary>Cumulative CPU seconds of the scope, observed now. Called at every sample.</summary>
    double CpuSeconds();

    /// <summary>Cumulative CPU seconds once the run is over (may know more than the last observation).</summary>
    double FinalCpuSeconds();
}
