using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Slurm.Accounting;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Jobs;

/// <summary>
/// The jobs running on this node and what they hold, as the engine's <see cref="Holder"/>s: from the Prolog/Epilog
/// records (<see cref="RecordsWatcher"/> says when to read them), their GPUs (<see cref="GpuMapping"/>), and their
/// share of the CPU packages and DRAM — the cgroup's CPU time over the node's busy CPU time (<see cref="CpuShares"/>),
/// else its allocated CPUs over the node's (from the record, else scontrol), else unknown.
/// </summary>
/// <remarks>
/// Every tick only returns the jobs it knows; the costlier reads — cgroup CPU times, the records themselves, cgroup
/// discovery — are done at housekeeping ticks. A tick therefore allocates nothing; the list and the CPU shares change
/// only at housekeeping ticks, the shares being those of the window that ends there (the engine splits that window's
/// CPU energy by them).
/// </remarks>
internal sealed class JobTracker : IDisposable
{
    private readonly PrologRecords _store;
    private readonly int _nodeCpus;
    private readonly Action<string> _log;
    private readonly Dictionary<string, Holder> _active = new(StringComparer.Ordinal);
    private readonly List<Holder> _list = [];
    private readonly Dictionary<string, int?> _scontrolCpus = new(StringComparer.Ordinal);
    private readonly RecordsWatcher _watcher;
    private readonly GpuMapping _gpus;
    private readonly CpuShares _shares;
    private readonly ScontrolClient _scontrol;
    private readonly RecordRules _rules;
    private readonly JobActivity _activity;
    // Jobs whose cgroup went away, and when that was first seen: ended then if no Epilog record comes in time.
    private readonly Dictionary<string, double> _cgroupGone = new(StringComparer.Ordinal);
    private readonly TimeSpan _epilogGrace;
    // Jobs without a cgroup whose end only scontrol can tell, and when it was last asked (every ten minutes at most).
    private readonly Dictionary<string, double> _askedScontrol = new(StringComparer.Ordinal);
    private static readonly double AskScontrolEvery = TimeSpan.FromMinutes(10).TotalSeconds;

    /// <param name="books">The engine's books: a running job resumed after a restart keeps the start its book has.</param>
    /// <param name="toTimeline">A hook's wall time on the agent's timeline (see <see cref="Clock.AgentClock"/>).</param>
    /// <param name="settledUntil">The end of the engine's last settled window on the timeline (NaN: none yet).</param>
    /// <param name="newRun">Called with a job id whose finished book a requeued run replaces.</param>
    public JobTracker(AgentOptions options, IReadOnlyList<DeviceInfo> devices, int nodeCpus, Action<string> log, Books books,
        Func<DateTimeOffset, double> toTimeline, Func<double> settledUntil, Action<string> newRun)
    {
        _rules = new RecordRules(books, toTimeline, settledUntil, newRun, log);
        _epilogGrace = options.EpilogGrace;
        _store = new PrologRecords(options.StateDirectory);
        _nodeCpus = Math.Max(1, nodeCpus);
        _log = log;
        Coca.Slurm.Files.OwnerOnly.CreateDirectory(_store.Directory);
        _watcher = new RecordsWatcher(_store.Directory);
        _gpus = new GpuMapping(devices, log);
        _shares = new CpuShares(options.CgroupRoot, options.Sources.ProcfsRoot, log);
        _scontrol = new ScontrolClient(options.Scontrol);
        _activity = new JobActivity(options.Sources.ProcfsRoot);
    }

    public PrologRecords Store => _store;

    /// <summary>True when the last call read new or changed records (a job started or ended).</summary>
    public bool JobsChanged { get; private set; }

    /// <summary>Records changed since they were last read (inotify): the next tick should be a housekeeping one.</summary>
    public bool RecordsChanged => _watcher.Changed;

    /// <summary>
    /// The jobs to charge for the interval (from, now]. At a housekeeping tick, <paramref name="machineBusySeconds"/>
    /// is the node's busy CPU time since the previous one, and the CPU shares are measured again.
    /// </summary>
    /// <param name="discover">Look for missing job cgroups and changed records (directory walks allocate: done at checkpoint ticks).</param>
    public List<Holder> Jobs(double from, double now, bool housekeeping, bool discover, double machineBusySeconds)
    {
        // Records are read only at housekeeping ticks: the list the engine holds between them must not change.
        var refresh = housekeeping && (_watcher.Changed || (discover && _watcher.DirectoryChanged()));
        JobsChanged = refresh;
        if (refresh) RefreshRecords();
        if (housekeeping)
        {
            _shares.Update(_active.Values, machineBusySeconds);
            if (discover)
            {
                _shares.FindVanished();
                AskScontrolAboutJobsWithoutCgroup(now);
            }
            if (_shares.Vanished.Count > 0 || _cgroupGone.Count > 0) EndJobsWhoseCgroupWent(now);
        }
        // The walk of the cgroup tree is for jobs still without a cgroup, and for an empty node, where it finds jobs
        // that have a cgroup but no Prolog record to warn about.
        if (refresh || (discover && (_active.Count == 0 || _shares.Count < _active.Count))) _shares.Discover(_active);
        if (discover) _activity.Update(now, _active.Values, _shares.CgroupOf); // framework and batch/interactive: once a minute at most
        if (!housekeeping) return _list;
        _list.Clear();
        foreach (var job in _active.Values)
        {
            // A job that ended before this interval has nothing left to charge, but one whose Epilog record arrived
            // late (a loaded node: the end time is taken before the record is written) must still be finished.
            if (job.To >= from || job.Book is not { Final: true }) _list.Add(job);
        }
        return _list;
    }

    private void RefreshRecords()
    {
        _watcher.Reading();
        var problems = new List<string>();
        var records = _store.ReadAll(problems);
        foreach (var p in problems) _rules.LogOnce(p);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            seen.Add(record.JobId);
            _active.TryGetValue(record.JobId, out var holder);
            if (holder is null || _rules.IsNewRun(holder, record))
            {
                var (ids, indices) = _gpus.Of(record);
                var (share, basis) = AllocatedShare(record);
                _active[record.JobId] = holder = new Holder(record.JobId, record.User, 0, 0, ids, indices, share, basis);
                _rules.Start(holder, record);
                _activity.Note(record);
                _cgroupGone.Remove(record.JobId);
            }
            holder.User = record.User;
            _rules.Update(holder, record);
        }
        foreach (var gone in _active.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _active.Remove(gone);
            _shares.Forget(gone);
            _shares.Vanished.Remove(gone);
            _cgroupGone.Remove(gone);
            _askedScontrol.Remove(gone);
            _activity.Forget(gone);
        }
    }

    // Without a cgroup (proctrack/linuxproc) nothing on the node tells that a job ended: past the grace, and then
    // every ten minutes, scontrol is asked; a job Slurm says is over is ended now (its end is known to ten minutes).
    private void AskScontrolAboutJobsWithoutCgroup(double now)
    {
        List<Holder>? over = null;
        foreach (var job in _active.Values)
        {
            if (job.To < double.PositiveInfinity || _shares.Has(job.Id) || now - job.From < _epilogGrace.TotalSeconds) continue;
            if (_askedScontrol.TryGetValue(job.Id, out var asked) && now - asked < AskScontrolEvery) continue;
            _askedScontrol[job.Id] = now;
            if (_scontrol.IsOver(job.Id)) (over ??= []).Add(job);
        }
        if (over is null) return;
        foreach (var job in over)
        {
            job.SetSpan(job.From, now);
            _askedScontrol.Remove(job.Id);
            _log($"job {job.Id}: Slurm says it is over but no Epilog record came; ended now");
        }
    }

    // The backstop for a job whose Epilog never wrote (a full disk, a hook not configured): its cgroup went away.
    // Slurm runs the Epilog as the job's cgroup goes, so the job is ended at that time only after a grace with no record.
    private void EndJobsWhoseCgroupWent(double now)
    {
        foreach (var id in _shares.Vanished) _cgroupGone.TryAdd(id, now);
        _shares.Vanished.Clear();
        List<string>? done = null;
        foreach (var (id, since) in _cgroupGone)
        {
            if (!_active.TryGetValue(id, out var job) || job.To < double.PositiveInfinity)
            {
                (done ??= []).Add(id);
                continue;
            }
            if (now - since < _epilogGrace.TotalSeconds) continue;
            job.SetSpan(job.From, Math.Max(job.From, since));
            _log($"job {id}: its cgroup went away and no Epilog record came within {_epilogGrace.TotalSeconds:0} s; ended when the cgroup went");
            (done ??= []).Add(id);
        }
        if (done is not null) foreach (var id in done) _cgroupGone.Remove(id);
    }

    private (double, string) AllocatedShare(JobRecord record)
    {
        var cpus = record.Cpus ?? ScontrolCpus(record.JobId);
        if (cpus is { } n) return (Math.Clamp(n / (double)_nodeCpus, 0, 1), $"{n} of {_nodeCpus} CPUs allocated");
        return (double.NaN, "unknown (no cgroup, no CPU count): CPU and DRAM energy unattributed");
    }

    // Once per job, when neither the Prolog nor a cgroup told: scontrol knows the allocation.
    private int? ScontrolCpus(string jobId)
    {
        if (!_scontrolCpus.TryGetValue(jobId, out var cpus)) _scontrolCpus[jobId] = cpus = _scontrol.AllocatedCpus(jobId);
        return cpus;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _shares.Dispose();
    }
}
