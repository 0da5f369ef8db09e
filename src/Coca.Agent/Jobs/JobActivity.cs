using Coca.Core.Attribution;
using Coca.Core.Jobs;
using Coca.Slurm.Cgroups;
using Coca.Slurm.Jobs;
using Coca.Sources.Procfs;

namespace Coca.Agent.Jobs;

/// <summary>
/// What kind of work each job does, written into its books: the framework its processes mapped
/// (<see cref="MappedFrameworks"/>) and whether it is interactive or batch (<see cref="JobSteps"/>). Reading every
/// process's maps costs milliseconds, so it is never done per tick: a job is looked at at the first checkpoint after
/// its cgroup is found, then after 1, 2, 4 … minutes (at most an hour apart) until it shows a framework (<c>cuda</c>
/// alone is looked at again: a framework may load later and is more specific) and its steps tell batch from
/// interactive; then never again.
/// </summary>
/// <remarks>
/// Once a minute for every job cost the save tick 5 ms of CPU and 680 KB for 64 jobs that never show a framework
/// (CPU-only jobs, the benchmark's node): the gap doubles so that such a job costs a few looks an hour, while a
/// framework loaded after a long preparation is still seen within as long again.
/// </remarks>
internal sealed class JobActivity(string procfsRoot)
{
    private const double FirstGapSeconds = 60;
    private const double LongestGapSeconds = 3600;

    private readonly MappedFrameworks _maps = new(procfsRoot);
    private readonly Dictionary<string, (double At, double Gap)> _lastLook = new(StringComparer.Ordinal);
    private readonly HashSet<string> _multiNode = new(StringComparer.Ordinal);

    /// <summary>Notes from the Prolog's record whether the job spans several nodes (then only its first node can tell batch).</summary>
    public void Note(JobRecord record)
    {
        if (SpansNodes(record)) _multiNode.Add(record.JobId);
        else _multiNode.Remove(record.JobId);
        _lastLook.Remove(record.JobId); // a new run of the job: looked at afresh
    }

    public void Forget(string jobId)
    {
        _lastLook.Remove(jobId);
        _multiNode.Remove(jobId);
    }

    /// <summary>Looks at the running jobs that are due (at checkpoint ticks).</summary>
    public void Update(double now, IEnumerable<Holder> jobs, Func<string, JobCgroup?> cgroupOf)
    {
        foreach (var job in jobs)
        {
            if (job.Book is not { Final: false } book || job.To <= now) continue;
            var wantFramework = Frameworks.Specificity(book.Framework) < 2;
            var wantInteractive = book.Interactive is null;
            if (!wantFramework && !wantInteractive) continue;
            var seen = _lastLook.TryGetValue(job.Id, out var last);
            if (seen && now - last.At < last.Gap * 0.9) continue; // a checkpoint a little early still counts
            if (cgroupOf(job.Id) is not { } cgroup) continue; // looked at once its cgroup is found
            _lastLook[job.Id] = (now, seen ? Math.Min(last.Gap * 2, LongestGapSeconds) : FirstGapSeconds);
            if (wantInteractive) book.Interactive = JobSteps.Interactive(cgroup, _multiNode.Contains(job.Id));
            if (wantFramework) book.Framework = Frameworks.MoreSpecific(book.Framework, _maps.Of(JobSteps.Processes(cgroup)));
        }
    }

    // SLURM_JOB_NUM_NODES when the Prolog had it, else the node list: "gpu[01-02]" or "a,b" name several nodes.
    private static bool SpansNodes(JobRecord record)
    {
        var env = record.SlurmEnvironment;
        if ((env.GetValueOrDefault("SLURM_JOB_NUM_NODES") ?? env.GetValueOrDefault("SLURM_NNODES")) is { } count &&
            int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var nodes))
        {
            return nodes > 1;
        }
        if ((env.GetValueOrDefault("SLURM_JOB_NODELIST") ?? env.GetValueOrDefault("SLURM_NODELIST")) is not { } list) return false;
        var open = list.IndexOf('[');
        return list.Contains(',') || (open >= 0 && list.IndexOf('-', open) >= 0);
    }
}
