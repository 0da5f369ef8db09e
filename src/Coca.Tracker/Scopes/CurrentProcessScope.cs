using System.Diagnostics;

namespace Coca.Tracker.Scopes;

/// <summary>The process the tracker runs in (the <c>EmissionsTracker</c> library case).</summary>
public sealed class CurrentProcessScope : ICpuScope
{
    public string Description => $"this process (pid {Environment.ProcessId})";

    public double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    public double FinalCpuSeconds() => CpuSeconds();
}
