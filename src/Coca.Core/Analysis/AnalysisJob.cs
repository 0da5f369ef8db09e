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
    public long? TimeMs { get => Known(_timeMs); init => _timeMs = value ?? long.MinValue; }
    public long? ElapsedS { get => Known(_elapsedS); init => _elapsedS = value ?? long.MinValue; }
    public int? Gpus { get => Known(_gpus); init => _gpus = value ?? int.MinValue; }

    /// <summary><see cref="Jobs.JobFingerprint"/>; 0 when the job has no name, submit line or work dir.</summary>
    public long Fingerprint { get; init; }

    /// <summary>What the agents measured (all components), null when no agent measured the job.</summary>
    public double? AgentEnergyJ { get => Known(_agentEnergyJ); init => _agentEnergyJ = value ?? double.NaN; }
    public double? AgentGpuEnergyJ { get => Known(_agentGpuEnergyJ); init => _agentGpuEnergyJ = value ?? double.NaN; }

    /// <summary>The weakest provenance of the agents' components (<c>measured</c>, <c>derived</c>, <c>estimated</c>).</summary>
    public string? AgentProvenance { get; init; }
    public double? SlurmEnergyJ { get => Known(_slurmEnergyJ); init => _slurmEnergyJ = value ?? double.NaN; }

    /// <summary>Mean GPU utilisation, 0–1, the agent's else Slurm's gres/gpuutil; <see cref="GpuUtilisationSource"/> says whose.</summary>
    public double? GpuUtilisation { get => Known(_gpuUtilisation); init => _gpuUtilisation = value ?? double.NaN; }
    public string? GpuUtilisationSource { get; init; }
    public double? TotalCpuS { get => Known(_totalCpuS); init => _totalCpuS = value ?? double.NaN; }
    public int? AllocCpus { get => Known(_allocCpus); init => _allocCpus = value ?? int.MinValue; }
    public bool? Interactive { get; init; }
    public int? UnusedGpus { get => Known(_unusedGpus); init => _unusedGpus = value ?? int.MinValue; }
    public double? UnusedGpuEnergyJ { get => Known(_unusedGpuEnergyJ); init => _unusedGpuEnergyJ = value ?? double.NaN; }

    /// <summary>When the agent saw GPU activity, the energy the job drew after the last of it.</summary>
    public double? EnergyAfterLastGpuActivityJ { get => Known(_afterLastGpuActivityJ); init => _afterLastGpuActivityJ = value ?? double.NaN; }
    public double? EmissionsG { get => Known(_emissionsG); init => _emissionsG = value ?? double.NaN; }
    public string? Framework { get; init; }

    /// <summary>As stored: <c>" k=v k=v "</c> (<see cref="Jobs.JobTags"/>).</summary>
    public string? Tags { get; init; }

    // Unknown is kept as NaN or MinValue rather than as a nullable (which doubles a number's size): a year's millions of
    // jobs are each read into one of these, and it was the largest allocation of `coca behaviours`. A NaN given is unknown.
    private readonly double _agentEnergyJ = double.NaN, _agentGpuEnergyJ = double.NaN, _slurmEnergyJ = double.NaN, _gpuUtilisation = double.NaN,
        _totalCpuS = double.NaN, _unusedGpuEnergyJ = double.NaN, _afterLastGpuActivityJ = double.NaN, _emissionsG = double.NaN;
    private readonly long _timeMs = long.MinValue, _elapsedS = long.MinValue;
    private readonly int _gpus = int.MinValue, _allocCpus = int.MinValue, _unusedGpus = int.MinValue;

    private static double? Known(double value) => double.IsNaN(value) ? null : value;
    private static long? Known(long value) => value == long.MinValue ? null : value;
    private static int? Known(int value) => value == int.MinValue ? null : value;

    /// <summary>The job's energy: the agents', else Slurm's; null when neither knows it.</summary>
    public double? EnergyJ => AgentEnergyJ ?? SlurmEnergyJ;

    /// <summary>Where <see cref="EnergyJ"/> came from: the agents' provenance, <c>slurm</c>, or null.</summary>
    public string? EnergySource => AgentEnergyJ is not null ? AgentProvenance ?? "measured" : SlurmEnergyJ is not null ? "slurm" : null;
}
