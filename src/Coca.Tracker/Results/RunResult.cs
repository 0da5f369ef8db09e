namespace Coca.Tracker.Results;

/// <summary>
/// What one measured run cost: the object <c>coca run --json</c> prints and
/// <see cref="EmissionsTracker.Stop"/> returns. Field names are a public contract: add, never rename.
/// </summary>
public sealed record RunResult
{
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    public required string Project { get; init; }
    public required string RunId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public required double DurationS { get; init; }

    /// <summary>Machine-level energy of each component during the run.</summary>
    public required ComponentJoules EnergyJ { get; init; }

    /// <summary>The measured command's own share: CPU and memory by its share of CPU time, GPUs it was given in full.</summary>
    public required ComponentJoules AttributedJ { get; init; }

    public required ComponentProvenance Provenance { get; init; }

    /// <summary>The command's process tree's share of the machine's busy CPU time, 0–1.</summary>
    public required double CpuShare { get; init; }

    /// <summary>CPU seconds (user + system) of what was measured: the command's process tree under <c>coca run</c>, else this process.</summary>
    public double CpuTimeS { get; init; }

    public required CarbonResult Carbon { get; init; }
    public required IReadOnlyList<DeviceResult> Devices { get; init; }
    public required MachineFacts Machine { get; init; }

    /// <summary>Which GPUs were charged and why (CUDA_VISIBLE_DEVICES or all).</summary>
    public string? GpuSelection { get; init; }

    public required int Samples { get; init; }

    /// <summary>Everything that made a figure less than measured, in one line each, with the fix.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>What the measured work reported (<c>coca metric</c>, <c>log_metric</c>), in the order it did.</summary>
    public IReadOnlyList<Coca.Core.Metrics.MetricPoint> Metrics { get; init; } = [];

    /// <summary>Where the run's row was appended; null when no file was asked for or it could not be written (then a warning says why).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EmissionsCsvPath { get; init; }
}
