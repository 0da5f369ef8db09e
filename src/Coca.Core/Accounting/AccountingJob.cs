namespace Coca.Core.Accounting;

/// <summary>
/// A job as the scheduler's accounting knows it, steps folded in: what Coca.Slurm reads from <c>sacct</c> or
/// slurmrestd and what the store keeps, so that the store needs no scheduler library. <see cref="JobIdRaw"/> is
/// unique per cluster (an array task has its own); <see cref="JobId"/> is what users type (<c>123_4</c>).
/// </summary>
public sealed record AccountingJob
{
    public required string JobIdRaw { get; init; }
    public required string JobId { get; init; }
    public string? ArrayJobId { get; init; }
    public int? ArrayTaskId { get; init; }
    public string? Name { get; init; }
    public string? User { get; init; }
    public string? Group { get; init; }
    public string? Account { get; init; }
    public string? Partition { get; init; }
    public string? Nodes { get; init; }
    public int? Gpus { get; init; }
    public string? State { get; init; }
    public string? ExitCode { get; init; }
    public DateTimeOffset? Submit { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public long? ElapsedS { get; init; }

    /// <summary>Slurm's own energy figure (ConsumedEnergyRaw, joules), kept for comparison; null when Slurm has none.</summary>
    public double? SlurmEnergyJ { get; init; }

    public string? TresUsageInTot { get; init; }

    /// <summary>Mean GPU utilisation (0–1) from Slurm's <c>gres/gpuutil</c> (see <see cref="Tres.GpuUtilisation"/>); null when Slurm has none.</summary>
    public double? GpuUtilisation { get; init; }
    public string? Comment { get; init; }

    /// <summary>CPU time of all the job's steps, user + system (sacct's TotalCPU), seconds.</summary>
    public double? TotalCpuS { get; init; }

    /// <summary>CPUs allocated (AllocCPUS, else NCPUS).</summary>
    public int? AllocCpus { get; init; }

    /// <summary>Memory requested for the whole job, bytes (ReqMem, per node × nodes or per CPU × CPUs; else mem= of ReqTRES).</summary>
    public long? ReqMemBytes { get; init; }

    /// <summary>The largest resident set of any step (MaxRSS), bytes.</summary>
    public long? MaxRssBytes { get; init; }

    /// <summary>The time limit (Timelimit), seconds; null when unlimited or unknown.</summary>
    public long? TimelimitS { get; init; }

    public string? SubmitLine { get; init; }
    public string? WorkDir { get; init; }
    public string? ReqTres { get; init; }
    public string? TresUsageInAve { get; init; }

    /// <summary>Interactive (salloc, srun --pty: no batch step) or batch; null when the steps do not say.</summary>
    public bool? Interactive { get; init; }

    /// <summary>The job's fingerprint: runs that differ only in hyper-parameter values and seeds share it (<see cref="Jobs.JobFingerprint"/>).</summary>
    public long Fingerprint => Jobs.JobFingerprint.Of(Name, SubmitLine, WorkDir);
}
