namespace Coca.Core.Analysis;

/// <summary>
/// The thresholds of the behaviours (<c>[behaviours]</c> in the configuration): the defaults are the issue's.
/// Durations in the unit their name says; utilisations and shares as fractions (0.15 is 15 %).
/// </summary>
public sealed record BehaviourRules
{
    /// <summary>A job that did not complete is <c>failed_early</c> up to this run time, <c>failed_late</c> beyond.</summary>
    public double FailedEarlyMinutes { get; init; } = 10;
    public int CrashLoopJobs { get; init; } = 3;
    public double CrashLoopHours { get; init; } = 24;
    public int SweepJobs { get; init; } = 10;
    public double SweepMinutes { get; init; } = 60;
    public int SweepArrayTasks { get; init; } = 10;

    /// <summary>
    /// The metric a sweep's runs are judged by (<c>[behaviours] sweep_metric</c>); null: the well-known metric the most of its
    /// runs reported. <see cref="SweepMetricMaximize"/> null: the direction <see cref="Metrics.MetricDirection"/> gives its name.
    /// </summary>
    public string? SweepMetric { get; init; }
    public bool? SweepMetricMaximize { get; init; }
    public double ZeroGpuMinutes { get; init; } = 5;
    public double LowGpuUtilisation { get; init; } = 0.15;
    public double LowGpuMinutes { get; init; } = 30;
    public double IdleInteractiveHours { get; init; } = 8;
    public double IdleInteractiveUtilisation { get; init; } = 0.15;

    /// <summary>A job whose partition or name contains one of these (any case) is interactive, whatever Slurm's steps say.</summary>
    public IReadOnlyList<string> Interactive { get; init; } = ["interactive", "jupyter", "ood", "sys/dashboard"];
    public double DataloaderGpuUtilisation { get; init; } = 0.5;
    public double DataloaderCpuBusy { get; init; } = 0.9;
    public double DataloaderMinutes { get; init; } = 30;

    /// <summary><c>tail_after_gpu_activity</c> fires when the energy after the last GPU activity exceeds this share of the job's.</summary>
    public double TailShare { get; init; } = 0.10;

    public static BehaviourRules Defaults { get; } = new();

    public bool IsInteractive(AnalysisJob job)
    {
        if (job.Interactive == true) return true;
        foreach (var pattern in Interactive)
        {
            if (job.Partition?.Contains(pattern, StringComparison.OrdinalIgnoreCase) == true || job.Name?.Contains(pattern, StringComparison.OrdinalIgnoreCase) == true) return true;
        }
        return false;
    }
}
