using Coca.Core.Attribution;
using Coca.Slurm.Cgroups;

namespace Coca.Agent.Jobs;

/// <summary>
/// Each job's share of the node's CPU time over the window that ends: its cgroup's CPU time over the node's busy CPU
/// time. Cgroups are found by walking the cgroup tree (for jobs still without one: it may appear after the Prolog, at
/// the first step) and read from files kept open; one that stops reading is forgotten and looked for again.
/// </summary>
internal sealed class CpuShares(string cgroupRoot, string procfsRoot, Action<string> log) : IDisposable
{
    private readonly Dictionary<string, (CgroupCpuReader Reader, double Last)> _cgroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobCgroup> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <summary>Jobs whose cgroup was found and is now gone: the job has ended, whether or not an Epilog said so.</summary>
    public HashSet<string> Vanished { get; } = new(StringComparer.Ordinal);

    public int Count => _cgroups.Count;

    /// <summary>Whether the job's cgroup was ever found (and not yet gone).</summary>
    public bool Has(string jobId) => _paths.ContainsKey(jobId);

    /// <summary>The job's cgroup, once found (and not yet gone).</summary>
    public JobCgroup? CgroupOf(string jobId) => _paths.GetValueOrDefault(jobId);

    /// <summary>Looks for the cgroups of the jobs that have none yet; warns once about cgroups without a Prolog record.</summary>
    public void Discover(IReadOnlyDictionary<string, Holder> active)
    {
        foreach (var cgroup in CgroupJobDiscovery.Discover(cgroupRoot, procfsRoot))
        {
            if (_cgroups.ContainsKey(cgroup.JobId)) continue;
            if (!active.ContainsKey(cgroup.JobId))
            {
                if (_warned.Add(cgroup.JobId)) log($"job {cgroup.JobId} has a cgroup but no Prolog record: is Prolog=coca slurm prolog configured? Its energy stays idle");
                continue;
            }
            var reader = new CgroupCpuReader(cgroup);
            _cgroups[cgroup.JobId] = (reader, reader.CpuSeconds());
            _paths[cgroup.JobId] = cgroup;
        }
    }

    /// <summary>Notes the jobs whose cgroup directory is gone (a stat per job: done at checkpoints, with the other walks).</summary>
    public void FindVanished()
    {
        foreach (var (jobId, cgroup) in _paths)
        {
            if (!Directory.Exists(cgroup.Path)) Vanished.Add(jobId);
        }
        foreach (var jobId in Vanished) Forget(jobId);
    }

    /// <summary>Sets the share of every job with a cgroup for the window that ends (<paramref name="machineBusySeconds"/> long in CPU time).</summary>
    public void Update(Dictionary<string, Holder>.ValueCollection jobs, double machineBusySeconds)
    {
        foreach (var job in jobs)
        {
            if (!_cgroups.TryGetValue(job.Id, out var cgroup)) continue;
            var cpu = cgroup.Reader.CpuSeconds();
            if (double.IsNaN(cpu))
            {
                if (_paths.TryGetValue(job.Id, out var found) && !Directory.Exists(found.Path)) Vanished.Add(job.Id);
                Forget(job.Id); // gone or unreadable: the next checkpoint looks for the job's cgroup again
                continue;
            }
            _cgroups[job.Id] = (cgroup.Reader, cpu);
            if (double.IsNaN(cgroup.Last) || machineBusySeconds <= 0) continue;
            job.CpuShare = Math.Clamp((cpu - cgroup.Last) / machineBusySeconds, 0, 1);
            job.CpuShareBasis = "cgroup CPU time";
        }
    }

    public void Forget(string jobId)
    {
        _paths.Remove(jobId);
        if (_cgroups.Remove(jobId, out var c)) c.Reader.Dispose();
    }

    public void Dispose()
    {
        foreach (var (reader, _) in _cgroups.Values) reader.Dispose();
    }
}
