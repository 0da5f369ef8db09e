namespace Coca.Core.Analysis;

/// <summary>
/// What one user's jobs of one period add up to, for the receptiveness metrics. GPU-hours are the GPUs held × run
/// time; energies are the agents', else Slurm's, in kWh, over the jobs whose energy is known.
/// </summary>
public sealed record UserPeriod
{
    public double GpuHours { get; init; }

    /// <summary>GPU-hours of the GPU jobs whose energy is known, and that energy: kWh per GPU-hour compares like with like.</summary>
    public double KnownGpuHours { get; init; }
    public double GpuJobsKwh { get; init; }

    /// <summary>The energy of the jobs known to have ended (<see cref="Accounting.JobStates"/>), and of those that did not complete.</summary>
    public double EndedKwh { get; init; }
    public double NotCompletedKwh { get; init; }

    /// <summary>GPU-hours of jobs the behaviours named <c>zero_gpu</c>.</summary>
    public double ZeroGpuHours { get; init; }

    /// <summary>The behaviours' avoidable energy, each job counted once.</summary>
    public double WastedKwh { get; init; }
}

/// <summary>
/// The four metrics the receptiveness comparison reads, per user: a value and the weight it carries in its arm's mean
/// (GPU-hours, as the issue asks; null value: the user had nothing to measure it on in that period).
/// </summary>
public static class ReceptivenessMetrics
{
    public const string KwhPerGpuHour = "kwh_per_gpu_hour";
    public const string NotCompletedEnergyShare = "not_completed_energy_share";
    public const string ZeroGpuHourShare = "zero_gpu_hour_share";
    public const string WastedKwhPerGpuHour = "wasted_kwh_per_gpu_hour";

    public static IReadOnlyList<string> All { get; } = [KwhPerGpuHour, NotCompletedEnergyShare, ZeroGpuHourShare, WastedKwhPerGpuHour];

    public static (double? Value, double Weight) Of(string metric, UserPeriod p) => metric switch
    {
        KwhPerGpuHour => p.KnownGpuHours > 0 ? (p.GpuJobsKwh / p.KnownGpuHours, p.KnownGpuHours) : (null, 0),
        NotCompletedEnergyShare => p.EndedKwh > 0 && p.GpuHours > 0 ? (p.NotCompletedKwh / p.EndedKwh, p.GpuHours) : (null, 0),
        ZeroGpuHourShare => p.GpuHours > 0 ? (p.ZeroGpuHours / p.GpuHours, p.GpuHours) : (null, 0),
        WastedKwhPerGpuHour => p.GpuHours > 0 ? (p.WastedKwh / p.GpuHours, p.GpuHours) : (null, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a receptiveness metric"),
    };
}
