using System.Diagnostics;
using System.Globalization;
using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Slurm.Cgroups;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Jobs;

/// <summary>
/// The jobs running on this node and what they hold, from the Prolog/Epilog records cross-checked
/// with the job cgroups. GPUs are mapped from Slurm's indices to devices by the minor number of
/// /dev/nvidiaN (never by NVML's index); the CPU share is the job's cgroup CPU time over the node's
/// busy CPU time, else its allocated CPUs over the node's, else unknown.
/// </summary>
/// <remarks>
/// Every tick only returns the jobs it knows: new records are noticed through inotify (a flag set by a
/// watcher, which the agent answers with a housekeeping tick), and the costlier reads — cgroup CPU times,
/// the records themselves, cgroup discovery — are done at housekeeping ticks. A tick therefore allocates
/// nothing; the list and the CPU shares change only at housekeeping ticks, the shares being those of the
/// window that ends there (the engine splits that window's CPU energy by them).
/// </remarks>
internal sealed class JobTracker : IDisposable
{
    private readonly JobRecordStore _store;
    private readonly AgentOptions _options;
    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly int _nodeCpus;
    private readonly Action<string> _log;
    private readonly Dictionary<string, Holder> _active = new(StringComparer.Ordinal);
    private readonly List<Holder> _list = [];
    private readonly Dictionary<string, (CgroupCpuReader Reader, double Last)> _cgroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int?> _scontrolCpus = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly FileSystemWatcher? _watcher;
    private volatile bool _recordsChanged = true;
    private DateTime _recordsStamp;
    private bool _stampRacy;

    public JobTracker(AgentOptions options, IReadOnlyList<DeviceInfo> devices, int nodeCpus, Action<string> log)
    {
        _options = options;
        _store = new JobRecordStore(options.StateDirectory);
        _devices = devices;
        _nodeCpus = Math.Max(1, nodeCpus);
        _log = log;
        Directory.CreateDirectory(_store.Directory);
        try
        {
            _watcher = new FileSystemWatcher(_store.Directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite, EnableRaisingEvents = true };
            _watcher.Created += (_, _) => _recordsChanged = true;
            _watcher.Renamed += (_, _) => _recordsChanged = true;
            _watcher.Deleted += (_, _) => _recordsChanged = true;
            _watcher.Changed += (_, _) => _recordsChanged = true;
            _watcher.Error += (_, _) => _recordsChanged = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            _watcher = null; // no inotify: records are read at every housekeeping tick
        }
    }

    public JobRecordStore Store => _store;

    /// <summary>True when the last call read new or changed records (a job started or ended).</summary>
    public bool JobsChanged { get; private set; }

    /// <summary>Records changed since they were last read (inotify): the next tick should be a housekeeping one.</summary>
    public bool RecordsChanged => _recordsChanged;

    /// <summary>
    /// The jobs to charge for the interval (from, now]. At a housekeeping tick, <paramref name="machineBusySeconds"/>
    /// is the node's busy CPU time since the previous one, and the CPU shares are measured again.
    /// </summary>
    /// <param name="discover">Look for missing job cgroups (directory walks allocate: done at checkpoint ticks and when jobs change).</param>
    public List<Holder> Jobs(double from, bool housekeeping, bool discover, double machineBusySeconds)
    {
        // At every checkpoint the directory is looked at too: an inotify event lost (queue overflow, watch limit) costs a minute, not a job.
        // Records are read only at housekeeping ticks: the list the engine holds between them must not change.
        var refresh = housekeeping && (_recordsChanged || _watcher is null || (discover && RecordsDirectoryChanged()));
        JobsChanged = refresh;
        if (refresh)
        {
            _recordsChanged = false;
            RefreshRecords();
        }
        if (housekeeping)
        {
            UpdateShares(machineBusySeconds);
        }
        // The walk of the cgroup tree is for jobs still without a cgroup (it may appear after the Prolog, at the first
        // step), and for an empty node, where it finds jobs that have a cgroup but no Prolog record to warn about.
        if (refresh || (discover && (_active.Count == 0 || _cgroups.Count < _active.Count)))
        {
            DiscoverCgroups();
        }
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

    // Records are replaced by rename and removed, so the directory's mtime moves with every change. A stamp
    // taken within a couple of seconds of the change may hide a second change in the same timestamp tick: such a
    // stamp is not trusted, and the records are read once more at the next look.
    private bool RecordsDirectoryChanged()
    {
        var stamp = Directory.GetLastWriteTimeUtc(_store.Directory);
        return stamp != _recordsStamp || _stampRacy;
    }

    // Taken before the records are read: a change while they are read moves the stamp again, and is seen at the next look.
    private void TakeStamp()
    {
        _recordsStamp = Directory.GetLastWriteTimeUtc(_store.Directory);
        _stampRacy = DateTime.UtcNow - _recordsStamp < TimeSpan.FromSeconds(2);
    }

    private void RefreshRecords()
    {
        TakeStamp(); // what this read saw, so that the next checkpoint does not read it all again
        var problems = new List<string>();
        var records = _store.ReadAll(problems);
        foreach (var p in problems) _log(p);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            seen.Add(record.JobId);
            if (_active.TryGetValue(record.JobId, out var known))
            {
                Span(known, record);
                continue;
            }
            var (ids, indices) = GpuDevices(record);
            var (share, basis) = AllocatedShare(record);
            var holder = new Holder(record.JobId, record.User, 0, 0, ids, indices, share, basis);
            Span(holder, record);
            _active[record.JobId] = holder;
        }
        foreach (var gone in _active.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _active.Remove(gone);
            if (_cgroups.Remove(gone, out var c)) c.Reader.Dispose();
        }
    }

    private static void Span(Holder holder, JobRecord record)
    {
        holder.User = record.User;
        holder.SetSpan(record.StartedAt.ToUnixTimeMilliseconds() / 1000.0,
            record.EndedAt is { } end ? end.ToUnixTimeMilliseconds() / 1000.0 : double.PositiveInfinity);
    }

    private void DiscoverCgroups()
    {
        foreach (var cgroup in CgroupJobDiscovery.Discover(_options.CgroupRoot, _options.Sources.ProcfsRoot))
        {
            if (_cgroups.ContainsKey(cgroup.JobId)) continue;
            if (!_active.ContainsKey(cgroup.JobId))
            {
                if (_warned.Add("cgroup:" + cgroup.JobId)) _log($"job {cgroup.JobId} has a cgroup but no Prolog record: is Prolog=coca slurm prolog configured? Its energy stays idle");
                continue;
            }
            var reader = new CgroupCpuReader(cgroup);
            _cgroups[cgroup.JobId] = (reader, reader.CpuSeconds());
        }
    }

    private void UpdateShares(double machineBusySeconds)
    {
        foreach (var job in _active.Values)
        {
            if (!_cgroups.TryGetValue(job.Id, out var cgroup)) continue;
            var cpu = cgroup.Reader.CpuSeconds();
            if (double.IsNaN(cpu))
            {
                // Gone or unreadable: forget it, so that the next checkpoint looks for the job's cgroup again.
                _cgroups.Remove(job.Id);
                cgroup.Reader.Dispose();
                continue;
            }
            _cgroups[job.Id] = (cgroup.Reader, cpu);
            if (double.IsNaN(cgroup.Last) || machineBusySeconds <= 0) continue;
            job.CpuShare = Math.Clamp((cpu - cgroup.Last) / machineBusySeconds, 0, 1);
            job.CpuShareBasis = "cgroup CPU time";
        }
    }

    private (double, string) AllocatedShare(JobRecord record)
    {
        var cpus = record.Cpus ?? ScontrolCpus(record.JobId);
        if (cpus is { } n) return (Math.Clamp(n / (double)_nodeCpus, 0, 1), $"{n} of {_nodeCpus} CPUs allocated");
        return (double.NaN, "unknown (no cgroup, no CPU count): CPU and DRAM energy unattributed");
    }

    private (IReadOnlyList<string>, int[]) GpuDevices(JobRecord record)
    {
        var gpus = Enumerable.Range(0, _devices.Count)
            .Where(i => _devices[i].Component == ComponentKind.Gpu && !_devices[i].Id.StartsWith("gpu:MIG-", StringComparison.Ordinal)).ToList();
        var result = new List<int>();
        var indices = record.GpuIndices.Count > 0 ? record.GpuIndices : PrologEnvironment.ParseIndices(IsIndexList(record.CudaVisibleDevices) ? record.CudaVisibleDevices : null);
        foreach (var index in indices)
        {
            var text = index.ToString(CultureInfo.InvariantCulture);
            var device = gpus.FirstOrDefault(i => _devices[i].Attributes.GetValueOrDefault("minor") == text, -1);
            if (device < 0 && gpus.All(i => !_devices[i].Attributes.ContainsKey("minor")))
            {
                device = gpus.FirstOrDefault(i => _devices[i].Attributes.GetValueOrDefault("nvml_index") == text, -1); // nvidia-smi fallback: its index
            }
            if (device >= 0) result.Add(device);
            else if (_warned.Add($"gpu:{record.JobId}:{index}")) _log($"job {record.JobId}: Slurm GPU index {index} (/dev/nvidia{index}) matches no GPU of this node; its energy stays idle");
        }
        if (indices.Count == 0 && record.CudaVisibleDevices is { } visible && !IsIndexList(visible))
        {
            foreach (var uuid in visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var device = gpus.FirstOrDefault(i => _devices[i].Attributes.GetValueOrDefault("uuid") == uuid, -1);
                if (device >= 0) result.Add(device);
            }
        }
        return (result.Select(i => _devices[i].Id).ToList(), result.ToArray());
    }

    private static bool IsIndexList(string? text) => text is { Length: > 0 } && text.All(c => char.IsAsciiDigit(c) || c == ',');

    // Once per job, when neither the Prolog nor a cgroup told: scontrol knows the allocation.
    private int? ScontrolCpus(string jobId)
    {
        if (_scontrolCpus.TryGetValue(jobId, out var known)) return known;
        int? cpus = null;
        try
        {
            var psi = new ProcessStartInfo(_options.Scontrol, ["show", "job", "-o", jobId]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            if (p.WaitForExit(TimeSpan.FromSeconds(3)) && p.ExitCode == 0)
            {
                foreach (var field in output.Result.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (field.StartsWith("NumCPUs=", StringComparison.Ordinal) && int.TryParse(field.AsSpan(8), out var n)) cpus = n;
                }
            }
            else if (!p.HasExited)
            {
                p.Kill();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        _scontrolCpus[jobId] = cpus;
        return cpus;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        foreach (var (reader, _) in _cgroups.Values) reader.Dispose();
    }
}
