namespace Coca.Core.Simulation;

/// <summary>
/// The stated distributions the simulator draws from, in one place (docs/simulate.md gives each with its reason and,
/// where one exists, its public source). Shares are fractions; times in seconds unless the name says otherwise.
/// Each planted behaviour is kept clear of the behaviours' default thresholds (<see cref="Analysis.BehaviourRules"/>),
/// so that what is planted is what <c>coca behaviours</c> can find, and a job planted clean trips no rule.
/// </summary>
public static class JobMix
{
    /// <summary>Jobs submitted per user per day: ~20,000 a year for 99 users (docs/architecture.md's small cluster).</summary>
    public const double JobsPerUserDay = 0.55;

    // What a submission is: one job, a crash loop, a sweep of separate jobs, or a job array (the rest: one job).
    public const double CrashLoopUnit = 0.015, SweepUnit = 0.008, ArrayUnit = 0.005;
    public const int CrashLoopMin = 3, CrashLoopMax = 6, SweepMin = 10, SweepMax = 25, ArrayMin = 10, ArrayMax = 40;

    /// <summary>A crash loop is followed by a fixed, completed run of the same script this often.</summary>
    public const double CrashLoopFixed = 0.5;

    /// <summary>
    /// A single job does not complete this often: with the crash loops' jobs (all failed) and the sweeps' (all
    /// completed), about a third of all jobs fail, as in Microsoft's Philly trace (Jeon et al., USENIX ATC 2019).
    /// </summary>
    public const double SingleFails = 0.40;

    /// <summary>Of the failed, this share fails within its first minutes (<c>failed_early</c>); the rest late.</summary>
    public const double FailsEarly = 0.55;

    public static readonly string[] EarlyStates = ["FAILED", "CANCELLED", "OUT_OF_MEMORY"];
    public static readonly double[] EarlyStateWeights = [0.6, 0.25, 0.15];
    public static readonly string[] LateStates = ["FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"];
    public static readonly double[] LateStateWeights = [0.35, 0.35, 0.2, 0.08, 0.02];

    public const double CpuOnly = 0.10;
    public static readonly int[] GpuCounts = [1, 2, 4, 8];
    public static readonly double[] GpuCountWeights = [0.55, 0.20, 0.15, 0.10];
    public const int CpusPerGpu = 8;

    /// <summary>Single GPU jobs on the interactive partition (notebooks, <c>srun --pty</c>).</summary>
    public const double Interactive = 0.08;

    // The GPU-use behaviours of a single GPU job that ran past its first minutes (one at most, as the rules name one).
    public const double ZeroGpu = 0.05, LowGpu = 0.08, DataloaderBound = 0.06;

    /// <summary>Of interactive sessions, this share is left open, idle, for more than a working day.</summary>
    public const double IdleInteractiveOfInteractive = 0.40;

    /// <summary>Of multi-GPU jobs that used their GPUs, this share left some of them at 0 % throughout.</summary>
    public const double UnusedGpusOfMultiGpu = 0.15;

    /// <summary>Of GPU jobs that used their GPUs, this share kept running well after the last GPU activity.</summary>
    public const double Tail = 0.08;

    /// <summary>Hour-of-day weights of submissions (local day; more in working hours, some at night).</summary>
    public static readonly double[] HourWeights =
        [0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 1.8, 1.7, 1.3, 1.5, 1.8, 1.8, 1.7, 1.5, 1.2, 1.0, 0.9, 0.8, 0.6, 0.4];

    /// <summary>Weekend days get this share of a weekday's submissions.</summary>
    public const double Weekend = 0.4;

    /// <summary>User activity follows Zipf's law with this exponent: a few users submit most jobs.</summary>
    public const double UserZipf = 0.8;

    // Run times (log-normal: median seconds, σ of the log).
    public const double CompletedMedianS = 4 * 3_600, CompletedSigma = 1.2;
    public const double FailedLateMedianS = 6 * 3_600, FailedLateSigma = 1.0;
    public const double SweepMedianS = 2_400, SweepSigma = 0.6;
    public const double IdleInteractiveMinS = 9 * 3_600, IdleInteractiveMaxS = 30 * 3_600;
    public static readonly long[] TimeLimitsS = [3_600, 4 * 3_600, 12 * 3_600, 24 * 3_600, 48 * 3_600];

    // Clear of the rules' thresholds (failed early ≤ 10 min, zero GPU > 5 min, low GPU and dataloader > 30 min).
    public const double FailedEarlyMaxS = 9 * 60, FailedLateMinS = 15 * 60, GpuKindMinS = 45 * 60;

    /// <summary>Mean GPU utilisation, per GPU, in whole percent: clean jobs, low, dataloader-bound, idle sessions.</summary>
    public const int CleanUtilMin = 55, CleanUtilMax = 98, LowUtilMin = 1, LowUtilMax = 12, LoaderUtilMin = 20, LoaderUtilMax = 45, IdleUtilMin = 1, IdleUtilMax = 10;

    /// <summary>How busy the job's CPUs were: a dataloader-bound job saturates them, the others do not.</summary>
    public const double CleanCpuBusyMin = 0.10, CleanCpuBusyMax = 0.60, LoaderCpuBusyMin = 0.93, LoaderCpuBusyMax = 0.99;

    /// <summary>The energy after the last GPU activity, as a share of the job's: planted tails, then the rest.</summary>
    public const double TailShareMin = 0.20, TailShareMax = 0.50, CleanTailShareMax = 0.04;
}
