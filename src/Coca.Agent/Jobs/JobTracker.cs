using System.Diagnostics;
using System.Globalization;
using Coca.Agent.Engine;
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
internal sealed class JobTracker
{
    private readonly JobRecordStore _store;
    private readonly AgentOptions _options;
    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly int _nodeCpus;
    private readonly Action<string> _log;
    private readonly Dictionary<string, double> _lastCgroupCpu = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int?> _scontrolCpus = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private IReadOnlyList<JobRecord> _records = [];
    private DateTime _recordsStamp;

    public JobTracker(AgentOptions options, IReadOnlyList<DeviceInfo> devices, int nodeCpus, Action<string> log)
    {
        _options = options;
        _store = new JobRecordStore(options.StateDirectory);
        _devices = devices;
        _nodeCpus = Math.Max(1, nodeCpus);
        _log = log;
    }

    public JobRecordStore Store => _store;

    /// <summary>The jobs to charge for the interval (from, now]; <paramref name="machineBusySeconds"/> is the node's busy CPU time in it.</summary>
    public IReadOnlyList<ActiveJob> Jobs(double from, double now, double machineBusySeconds, IReadOnlyCollection<string> alreadyFinal)
    {
        RefreshRecords();
        var cgroups = CgroupJobDiscovery.Discover(_options.CgroupRoot, _options.Sources.ProcfsRoot).ToDictionary(c => c.JobId, StringComparer.Ordinal);
        var jobs = new List<ActiveJob>();
        foreach (var record in _records)
        {
            if (alreadyFinal.Contains(record.JobId)) continue;
            var end = record.EndedAt?.ToUnixTimeMilliseconds() / 1000.0;
            if (end is { } e && e < from) continue; // ended before this interval: nothing left to charge
            var (share, basis) = CpuShare(record, cgroups.GetValueOrDefault(record.JobId), machineBusySeconds);
            jobs.Add(new ActiveJob(record, GpuDevices(record), share, basis));
        }
        foreach (var id in cgroups.Keys.Where(id => _records.All(r => r.JobId != id)))
        {
            if (_warned.Add("cgroup:" + id)) _log($"job {id} has a cgroup but no Prolog record: is Prolog={"coca slurm prolog"} configured? Its energy stays idle");
        }
        return jobs;
    }

    private void RefreshRecords()
    {
        var stamp = Directory.Exists(_store.Directory) ? Directory.GetLastWriteTimeUtc(_store.Directory) : default;
        if (stamp == _recordsStamp && _records.Count > 0) return;
        var problems = new List<string>();
        _records = _store.ReadAll(problems);
        _recordsStamp = stamp;
        foreach (var p in problems) _log(p);
    }

    private (double Share, string Basis) CpuShare(JobRecord record, JobCgroup? cgroup, double machineBusySeconds)
    {
        if (cgroup?.CpuSeconds() is { } cpu)
        {
            var had = _lastCgroupCpu.TryGetValue(record.JobId, out var last);
            _lastCgroupCpu[record.JobId] = cpu;
            if (had && machineBusySeconds > 0) return (Math.Clamp((cpu - last) / machineBusySeconds, 0, 1), "cgroup CPU time");
            if (had) return (0, "cgroup CPU time");
        }
        var cpus = record.Cpus ?? ScontrolCpus(record.JobId);
        if (cpus is { } n) return (Math.Clamp(n / (double)_nodeCpus, 0, 1), $"{n} of {_nodeCpus} CPUs allocated");
        return (double.NaN, "unknown (no cgroup, no CPU count): CPU and DRAM energy unattributed");
    }

    private IReadOnlyList<string> GpuDevices(JobRecord record)
    {
        var gpus = _devices.Where(d => d.Component == ComponentKind.Gpu && !d.Id.StartsWith("gpu:MIG-", StringComparison.Ordinal)).ToList();
        var result = new List<string>();
        var indices = record.GpuIndices.Count > 0 ? record.GpuIndices : PrologEnvironment.ParseIndices(IsIndexList(record.CudaVisibleDevices) ? record.CudaVisibleDevices : null);
        foreach (var index in indices)
        {
            var text = index.ToString(CultureInfo.InvariantCulture);
            var device = gpus.FirstOrDefault(d => d.Attributes.GetValueOrDefault("minor") == text);
            if (device is null && gpus.All(d => !d.Attributes.ContainsKey("minor")))
            {
                device = gpus.FirstOrDefault(d => d.Attributes.GetValueOrDefault("nvml_index") == text); // nvidia-smi fallback: its index
            }
            if (device is not null) result.Add(device.Id);
            else if (_warned.Add($"gpu:{record.JobId}:{index}")) _log($"job {record.JobId}: Slurm GPU index {index} (/dev/nvidia{index}) matches no GPU of this node; its energy stays idle");
        }
        if (indices.Count == 0 && record.CudaVisibleDevices is { } visible && !IsIndexList(visible))
        {
            foreach (var uuid in visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var device = _devices.FirstOrDefault(d => d.Attributes.GetValueOrDefault("uuid") == uuid);
                if (device is not null) result.Add(device.Id);
            }
        }
        return result;
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
}
