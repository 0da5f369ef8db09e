using System.Globalization;
using Coca.Core.Jobs;

namespace Coca.Slurm.Jobs;

/// <summary>Reads a job from the environment slurmd gives Prolog and Epilog.</summary>
public static class PrologEnvironment
{
    public static JobRecord Parse(IReadOnlyDictionary<string, string> env, DateTimeOffset now)
    {
        string? Get(string key) => env.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        var jobId = Get("SLURM_JOB_ID") ?? Get("SLURM_JOBID")
            ?? throw new ArgumentException("SLURM_JOB_ID is not set: coca slurm prolog|epilog must run from Slurm's Prolog/Epilog");
        // The id names the job's files, written as root: only Slurm's forms get through (never "../x").
        if (!JobId.IsValid(jobId, JobIdForms.Job | JobIdForms.Steps))
        {
            throw new ArgumentException($"SLURM_JOB_ID '{new string([.. jobId.Take(40).Select(c => char.IsControl(c) ? '?' : c)])}' is not a Slurm job id (123, 123_4, 123+1)");
        }
        return new JobRecord
        {
            JobId = jobId,
            User = Get("SLURM_JOB_USER") ?? "",
            Uid = int.TryParse(Get("SLURM_JOB_UID"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid) ? uid : null,
            Node = Get("SLURMD_NODENAME") ?? Environment.MachineName,
            Partition = Get("SLURM_JOB_PARTITION"),
            Account = Get("SLURM_JOB_ACCOUNT"),
            GpuIndices = ParseIndices(Get("SLURM_JOB_GPUS")),
            CudaVisibleDevices = Get("CUDA_VISIBLE_DEVICES"),
            Cpus = ParseCpus(Get("SLURM_CPUS_ON_NODE") ?? Get("SLURM_JOB_CPUS_PER_NODE")),
            StartedAt = now,
            SlurmEnvironment = env.Where(p => p.Key.StartsWith("SLURM", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value),
        };
    }

    /// <summary>"0,1,3" or "0-3,6" → indices.</summary>
    public static IReadOnlyList<int> ParseIndices(string? text)
    {
        var result = new List<int>();
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(part[..dash], out var a) && int.TryParse(part[(dash + 1)..], out var b) && b >= a && b - a < 4096)
            {
                for (var i = a; i <= b; i++) result.Add(i);
            }
            else if (int.TryParse(part, out var i))
            {
                result.Add(i);
            }
        }
        return result;
    }

    // SLURM_JOB_CPUS_PER_NODE looks like "4" or "4(x2),2": the first node's count is this node's in the Prolog.
    private static int? ParseCpus(string? text)
    {
        if (text is null) return null;
        var digits = new string(text.TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, out var n) && n > 0 ? n : null;
    }
}
