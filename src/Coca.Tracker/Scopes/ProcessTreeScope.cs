using Coca.Sources.Procfs;

namespace Coca.Tracker.Scopes;

/// <summary>
/// A command started by <c>coca run</c> and every process below it. While it runs, its live tree is
/// read from procfs; once it has exited and been reaped, <c>getrusage(RUSAGE_CHILDREN)</c> gives
/// the exact total, since the command is this process's only child.
/// </summary>
public sealed class ProcessTreeScope : ICpuScope
{
    private readonly string _procfsRoot;
    private readonly double _childrenAtStart;
    private double _maxObserved;

    public ProcessTreeScope(int pid, string procfsRoot, double childrenCpuAtStart)
    {
        Pid = pid;
        _procfsRoot = procfsRoot;
        _childrenAtStart = childrenCpuAtStart;
    }

    public int Pid { get; }
    public string Description => $"process tree of pid {Pid}";

    public double CpuSeconds()
    {
        try
        {
            _maxObserved = Math.Max(_maxObserved, ProcessTreeCpu.Seconds(_procfsRoot, Pid));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return _maxObserved;
    }

    public double FinalCpuSeconds() => Math.Max(_maxObserved, ChildrenRusage.CpuSeconds() - _childrenAtStart);
}
