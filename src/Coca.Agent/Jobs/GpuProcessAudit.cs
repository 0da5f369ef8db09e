using System.Text.RegularExpressions;
using Coca.Core.Attribution;
using Coca.Core.Gpu;
using Coca.Sources.Nvml;

namespace Coca.Agent.Jobs;

/// <summary>
/// Processes NVML sees on a GPU that belong to no job holding that GPU: someone outside Slurm, or a job
/// escaping its allocation. Flagged in the log once each, and counted per GPU in /metrics.
/// </summary>
internal sealed partial class GpuProcessAudit(string procfsRoot, Action<string> log)
{
    private readonly HashSet<(int Pid, string Gpu)> _reported = [];

    public Dictionary<string, int> Foreign { get; } = new(StringComparer.Ordinal);

    public void Check(NvmlGpuSource nvml, IReadOnlyList<Holder> jobs)
    {
        Foreign.Clear();
        foreach (var gpu in nvml.ReadDetails())
        {
            var device = GpuIdentity.DeviceIdOf(gpu.Uuid);
            var holders = jobs.Where(j => j.GpuDeviceIds.Contains(device)).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var process in gpu.Processes)
            {
                var job = JobOf(process.Pid);
                if (job is not null && holders.Contains(job)) continue;
                Foreign[device] = Foreign.GetValueOrDefault(device) + 1;
                if (_reported.Add((process.Pid, device)))
                {
                    var held = holders.Count == 0 ? "held by no job" : $"held by job {string.Join(", ", holders)}";
                    log($"pid {process.Pid} ({(job is null ? "no Slurm job" : "job " + job)}) uses {gpu.Uuid}, {held}");
                }
            }
        }
    }

    private string? JobOf(int pid)
    {
        try
        {
            var cgroup = File.ReadAllText(Path.Combine(procfsRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cgroup"));
            var match = JobInCgroup().Match(cgroup);
            if (match.Success) return match.Groups[1].Value;
            foreach (var variable in File.ReadAllText(Path.Combine(procfsRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "environ")).Split('\0'))
            {
                if (variable.StartsWith("SLURM_JOB_ID=", StringComparison.Ordinal)) return variable[13..];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    [GeneratedRegex(@"/job_(\d+)(/|$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex JobInCgroup();
}
