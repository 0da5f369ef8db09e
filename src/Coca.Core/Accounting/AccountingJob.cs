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
}
