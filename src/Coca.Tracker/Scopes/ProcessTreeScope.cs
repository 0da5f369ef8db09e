using Coca.Sources.Procfs;

namespace Coca.Tracker.Scopes;

/// <summary>
/// A command started by <c>coca run</c> and every process below it. While it runs, its live tree is
/// read from procfs; once it has exited and been reaped, <c>getrusage(RUSAGE_CHILDREN)</c> gives
/// the exact total, since the command is this process's only child.
/// </summary>
/// <remarks>
/// Made before the command starts and attached to it once it has: the tracker's first sample must come
/// before the command's first instruction, or the start of the run (opening the sources takes tens of
/// milliseconds, more on a loaded machine) would go unmeasured.
/// </remarks>
public sealed class ProcessTreeScope : ICpuScope
{
    private readonly string _procfsRoot;
    private readonly double _childrenAtStart;
    private double _maxObserved;
    private ProcessTreeCpu? _tree;
    private bool _existing;
    private bool _selfInTree;

    /// <param name="childrenCpuAtStart">getrusage(RUSAGE_CHILDREN) before the command starts.</param>
    public ProcessTreeScope(string procfsRoot, double childrenCpuAtStart)
    {
        _procfsRoot = procfsRoot;
        _childrenAtStart = childrenCpuAtStart;
    }

    /// <summary>The command's pid, 0 until <see cref="Attach"/>.</summary>
    public int Pid { get; private set; }

    public string Description => Pid > 0 ? $"process tree of pid {Pid}" : "process tree of a command not started yet";

    public void Attach(int pid)
    {
        Pid = pid;
        _tree = new ProcessTreeCpu(_procfsRoot, pid);
    }

    /// <summary>
    /// The tree of a process coca did not start (<c>coca track --pid</c>): once it ends, nobody here reaps it, so the
    /// last observation is the total. When coca is that process's child (a language binding started it), coca's own
    /// CPU time is taken out: measuring is not the work measured.
    /// </summary>
    public static ProcessTreeScope Existing(string procfsRoot, int pid, bool selfInTree)
    {
        var scope = new ProcessTreeScope(procfsRoot, 0) { _existing = true, _selfInTree = selfInTree };
        scope.Attach(pid);
        return scope;
    }

    public double CpuSeconds()
    {
        if (_tree is null) return 0;
        try
        {
            var seconds = _tree.Seconds();
            if (_selfInTree && seconds > 0) seconds -= OwnCpuSeconds();
            _maxObserved = Math.Max(_maxObserved, seconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return _maxObserved;
    }

    public double FinalCpuSeconds() =>
        Pid <= 0 ? 0 : _existing ? _maxObserved : Math.Max(_maxObserved, ChildrenRusage.CpuSeconds() - _childrenAtStart);

    private static double OwnCpuSeconds()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
