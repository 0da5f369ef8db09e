namespace Coca.Slurm.Jobs;

/// <summary>
/// What the Prolog learned about a job on this node, as Slurm passed it: who, which GPUs (Slurm's
/// indices and CUDA_VISIBLE_DEVICES), how many CPUs when Slurm said, and when. Written before the
/// job starts; <see cref="EndedAt"/> comes from the Epilog.
/// </summary>
public sealed record JobRecord
{
    public required string JobId { get; init; }
    public string User { get; init; } = "";
    public int? Uid { get; init; }
    public string Node { get; init; } = "";
    public string? Partition { get; init; }
    public string? Account { get; init; }

    /// <summary>SLURM_JOB_GPUS: indices of the node's gres.conf GPU devices (/dev/nvidiaN, N the minor number).</summary>
    public IReadOnlyList<int> GpuIndices { get; init; } = [];

    /// <summary>CUDA_VISIBLE_DEVICES as the Prolog saw it (absolute indices, or UUIDs with some configurations).</summary>
    public string? CudaVisibleDevices { get; init; }

    /// <summary>CPUs allocated on this node, when the Prolog's environment said (SLURM_CPUS_ON_NODE, SLURM_JOB_CPUS_PER_NODE).</summary>
    public int? Cpus { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Every SLURM_* variable of the Prolog, kept for what later analyses need (array ids, constraints).</summary>
    public IReadOnlyDictionary<string, string> SlurmEnvironment { get; init; } = new Dictionary<string, string>();
}
