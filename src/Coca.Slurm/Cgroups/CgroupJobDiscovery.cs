using System.Text.RegularExpressions;

namespace Coca.Slurm.Cgroups;

/// <summary>
/// Finds Slurm job cgroups under a cgroup root (default <c>/sys/fs/cgroup</c>), in every layout Slurm uses:
/// v2 <c>system.slice/slurmstepd.scope/job_&lt;id&gt;</c> and its <c>&lt;node&gt;_slurmstepd.scope</c> variant (several
/// slurmd on one host), v1 <c>&lt;controller&gt;/slurm/uid_&lt;uid&gt;/job_&lt;id&gt;</c>, and folders named by an opaque id
/// (Slurm 26.05), resolved through the processes they hold: their <c>SLURM_JOB_ID</c>.
/// </summary>
public static partial class CgroupJobDiscovery
{
    public static IReadOnlyList<JobCgroup> Discover(string cgroupRoot, string procfsRoot = "/proc")
    {
        var found = new Dictionary<string, JobCgroup>(StringComparer.Ordinal);
        var slice = Path.Combine(cgroupRoot, "system.slice");
        if (Directory.Exists(slice))
        {
            foreach (var scope in Directory.EnumerateDirectories(slice, "*slurmstepd.scope"))
            {
                foreach (var dir in Directory.EnumerateDirectories(scope))
                {
                    var name = Path.GetFileName(dir);
                    var match = JobFolder().Match(name);
                    var id = match.Success ? match.Groups[1].Value : name == "system" ? null : JobIdFromProcesses(dir, procfsRoot);
                    if (id is not null) found.TryAdd(id, new JobCgroup(id, dir, CgroupVersion.V2));
                }
            }
        }
        foreach (var controller in new[] { "cpuacct", "cpu,cpuacct", "cpuacct,cpu" })
        {
            var slurm = Path.Combine(cgroupRoot, controller, "slurm");
            if (!Directory.Exists(slurm)) continue;
            foreach (var uid in Directory.EnumerateDirectories(slurm, "uid_*"))
            {
                foreach (var dir in Directory.EnumerateDirectories(uid, "job_*"))
                {
                    var match = JobFolder().Match(Path.GetFileName(dir));
                    if (match.Success) found.TryAdd(match.Groups[1].Value, new JobCgroup(match.Groups[1].Value, dir, CgroupVersion.V1));
                }
            }
        }
        return found.Values.ToList();
    }

    // An opaque folder: its processes (any step) carry SLURM_JOB_ID in their environment (readable by root).
    private static string? JobIdFromProcesses(string dir, string procfsRoot)
    {
        foreach (var procs in Directory.EnumerateFiles(dir, "cgroup.procs", SearchOption.AllDirectories))
        {
            string[] pids;
            try
            {
                pids = File.ReadAllLines(procs);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var pid in pids.Where(p => p.Length > 0))
            {
                try
                {
                    foreach (var variable in File.ReadAllText(Path.Combine(procfsRoot, pid.Trim(), "environ")).Split('\0'))
                    {
                        if (variable.StartsWith("SLURM_JOB_ID=", StringComparison.Ordinal)) return variable["SLURM_JOB_ID=".Length..];
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        return null;
    }

    [GeneratedRegex(@"^job_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex JobFolder();
}
