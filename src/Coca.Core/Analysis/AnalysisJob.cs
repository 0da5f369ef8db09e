namespace Coca.Core.Analysis;

/// <summary>
/// A job as the behaviours read it: the few fields of the store's record that the rules need, nothing computed
/// here. Energies in joules; the agents' figures where an agent measured the job, Slurm's ConsumedEnergyRaw apart.
/// </summary>
public sealed record AnalysisJob
{
    /// <summary>As users type it (<c>123_4</c>).</summary>
    public required string JobId { get; init; }
    public string? ArrayJobId { get; init; }
    public string? User { get; init; }
    public string? Name { get; init; }
    public string? Partition { get; init; }
    public string? Account { get; init; }
    public string? State { get; init; }

    /// <summary>Submitted, else started (ms since the epoch): the order the rules read jobs in.</summary>
    public long? TimeMs { get; init; }
    public long? ElapsedS { get; init; }
    public int? Gpus { get; init; }

    /// <summary><see cref="Jobs.JobFingerprint"/>; 0 when the job has no name, submit line or work dir.</summary>
    public long Fingerprint { get; init; }

    /// <summary>What the agents measured (all components), null when no agent measured the job.</summary>
    public double? AgentEnergyJ { get; init; }
    public double? AgentGpuEnergyJ { get; init; }

    /// <summary>The weakest provenance of the agents' components (<c>measured</c>, <c>derived</c>, <c>estimated</c>).</summary>
    public string? AgentProvenance { get; init; }
    public double? SlurmEnergyJ { get; init; }

    /// <summary>Mean GPU utilisation, 0–1, the agent's else Slurm's gres/gpuutil; <see cref="GpuUtilisationSource"/> says whose.</summary>
    public double? GpuUtilisation { get; init; }
    public string? GpuUtilisationSource { get; init; }
    public double? TotalCpuS { get; init; }
    public int? AllocCpus { get; init; }
    public bool? Interactive { get; init; }
    public int? UnusedGpus { get; init; }
    public double? UnusedGpuEnergyJ { get; init; }

    /// <summary>When the agent saw GPU activity, the energy the job drew after the last of it.</summary>
    public double? EnergyAfterLastGpuActivityJ { get; init; }
    public double? EmissionsG { get; init; }
    public string? Framework { get; init; }

    /// <summary>As stored: <c>" k=v k=v "</c> (<see cref="Jobs.JobTags"/>).</summary>
    public string? Tags { get; init; }

    /// <summary>The job's energy: the agents', else Slurm's; null when neither knows it.</summary>
    public double? EnergyJ => AgentEnergyJ ?? SlurmEnergyJ;

    /// <summary>Where <see cref="EnergyJ"/> came from: the agents' provenance, <c>slurm</c>, or null.</summary>
    public string? EnergySource => AgentEnergyJ is not null ? AgentProvenance ?? "measured" : SlurmEnergyJ is not null ? "slurm" : null;
}
