namespace Coca.Slurm.Cgroups;

/// <summary>A Slurm job's cgroup folder and how to read its CPU time.</summary>
public sealed record JobCgroup(string JobId, string Path, CgroupVersion Version)
{
    /// <summary>Cumulative CPU seconds of every process in the job; null when unreadable.</summary>
    public double? CpuSeconds()
    {
        try
        {
            if (Version == CgroupVersion.V2)
            {
                foreach (var line in File.ReadLines(System.IO.Path.Combine(Path, "cpu.stat")))
                {
                    if (line.StartsWith("usage_usec ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(11), out var usec)) return usec / 1e6;
                }
                return null;
            }
            var text = File.ReadAllText(System.IO.Path.Combine(Path, "cpuacct.usage")).Trim();
            return long.TryParse(text, out var ns) ? ns / 1e9 : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

public enum CgroupVersion
{
    V1,
    V2,
}
