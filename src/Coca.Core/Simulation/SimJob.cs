namespace Coca.Core.Simulation;

/// <summary>
/// One simulated job: what Slurm's accounting would say of it, what its agents would measure, and which behaviours
/// were planted in it (<see cref="Kinds"/>, the per-job ones; crash loops and sweeps are groups, in the truth).
/// <see cref="UtilPercent"/> is the mean over its GPUs, in whole percent (Slurm's <c>gres/gpuutil</c> sums it over the GPUs).
/// </summary>
public sealed record SimJob
{
    /// <summary>As users type it: <c>1234</c>, or <c>1234_5</c> for an array task.</summary>
    public string JobId { get; init; } = "";
    public string JobIdRaw { get; init; } = "";
    public string? ArrayJobId { get; init; }

    /// <summary>The submission a task of a job array belongs to, until the array has its id.</summary>
    public string? ArrayOf { get; init; }
    public required string User { get; init; }
    public required string Account { get; init; }
    public required string Partition { get; init; }
    public required string Name { get; init; }
    public required string SubmitLine { get; init; }
    public required string WorkDir { get; init; }
    public required int Gpus { get; init; }
    public required int Cpus { get; init; }
    public required DateTimeOffset Submit { get; init; }
    public required long ElapsedS { get; init; }
    public required long TimelimitS { get; init; }
    public required string State { get; init; }
    public required int UtilPercent { get; init; }
    public required double CpuBusy { get; init; }
    public int UnusedGpus { get; init; }

    /// <summary>The share of the job's energy drawn after its last GPU activity.</summary>
    public double TailShare { get; init; }
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Seconds between submission and the earliest start the scheduler may give it (drawn, so the schedule stays pure).</summary>
    public int QueueDelayS { get; init; }

    /// <summary>Which node a CPU-only job goes to (it takes no GPU, so no node is fuller than another for it).</summary>
    public int NodeHint { get; init; }

    // Set by the scheduler.
    public string Node { get; init; } = "";
    public IReadOnlyList<int> GpuIndices { get; init; } = [];
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End => Start.AddSeconds(ElapsedS);

    /// <summary>The generation order: ties in submission time keep it, so the output never depends on a sort's whims.</summary>
    public int Order { get; init; }

    public string ExitCode => State switch { "COMPLETED" => "0:0", "CANCELLED" => "0:15", "TIMEOUT" => "0:0", "OUT_OF_MEMORY" => "0:125", _ => "1:0" };
}
