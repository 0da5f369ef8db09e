using Coca.Commands.Node.Config;
using Coca.Commands.Node;
using Coca.Core.Analysis;
using Coca.Core.Metrics;

namespace Coca.Commands.Site.Config;

/// <summary><c>[behaviours]</c>: the thresholds of <c>coca behaviours</c> and the server's behaviours route; defaults from <see cref="BehaviourRules"/>.</summary>
public static class BehaviourSettings
{
    public const string Section = "behaviours";
    private static readonly BehaviourRules D = BehaviourRules.Defaults;
    private static readonly NumberRange Minutes = new(0, 525_600, "minutes");
    private static readonly NumberRange Hours = new(0, 8_760, "hours");
    private static readonly NumberRange Fraction = new(0, 1, "(a fraction, 0.15 is 15 %)");
    private static readonly NumberRange Jobs = new(2, 1_000_000, "jobs", Whole: true);

    public static readonly NumberSetting FailedEarlyMinutes = new(Section, "failed_early_minutes", D.FailedEarlyMinutes) { Range = Minutes };
    public static readonly NumberSetting CrashLoopJobs = new(Section, "crash_loop_jobs", D.CrashLoopJobs) { Range = Jobs };
    public static readonly NumberSetting CrashLoopHours = new(Section, "crash_loop_hours", D.CrashLoopHours) { Range = Hours };
    public static readonly NumberSetting SweepJobs = new(Section, "sweep_jobs", D.SweepJobs) { Range = Jobs };
    public static readonly NumberSetting SweepMinutes = new(Section, "sweep_minutes", D.SweepMinutes) { Range = Minutes };
    public static readonly NumberSetting SweepArrayTasks = new(Section, "sweep_array_tasks", D.SweepArrayTasks) { Range = Jobs };
    public static readonly NumberSetting ZeroGpuMinutes = new(Section, "zero_gpu_minutes", D.ZeroGpuMinutes) { Range = Minutes };
    public static readonly NumberSetting LowGpuUtilisation = new(Section, "low_gpu_utilisation", D.LowGpuUtilisation) { Range = Fraction };
    public static readonly NumberSetting LowGpuMinutes = new(Section, "low_gpu_minutes", D.LowGpuMinutes) { Range = Minutes };
    public static readonly NumberSetting IdleInteractiveHours = new(Section, "idle_interactive_hours", D.IdleInteractiveHours) { Range = Hours };
    public static readonly NumberSetting IdleInteractiveUtilisation = new(Section, "idle_interactive_utilisation", D.IdleInteractiveUtilisation) { Range = Fraction };
    public static readonly TextSetting Interactive = new(Section, "interactive", string.Join(",", D.Interactive));
    public static readonly NumberSetting DataloaderGpuUtilisation = new(Section, "dataloader_gpu_utilisation", D.DataloaderGpuUtilisation) { Range = Fraction };
    public static readonly NumberSetting DataloaderCpuBusy = new(Section, "dataloader_cpu_busy", D.DataloaderCpuBusy) { Range = Fraction };
    public static readonly NumberSetting DataloaderMinutes = new(Section, "dataloader_minutes", D.DataloaderMinutes) { Range = Minutes };
    public static readonly NumberSetting TailShare = new(Section, "tail_share", D.TailShare) { Range = Fraction };
    public static readonly TextSetting SweepMetric = new(Section, "sweep_metric", "", "the well-known metric most runs reported") { HasAlias = false };

    public static IReadOnlyList<Setting> All { get; } =
    [
        FailedEarlyMinutes, CrashLoopJobs, CrashLoopHours, SweepJobs, SweepMinutes, SweepArrayTasks, ZeroGpuMinutes, LowGpuUtilisation, LowGpuMinutes,
        IdleInteractiveHours, IdleInteractiveUtilisation, Interactive, DataloaderGpuUtilisation, DataloaderCpuBusy, DataloaderMinutes, TailShare, SweepMetric,
    ];

    /// <summary>The rules as the environment and the configuration file set them (each number checked against its range).</summary>
    public static BehaviourRules Rules(CocaSettings s)
    {
        double N(NumberSetting setting) => s.Double(setting, null)!.Value;
        var patterns = (s.String(Interactive, null) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (metric, maximize) = Metric(s.String(SweepMetric, null));
        return new BehaviourRules
        {
            FailedEarlyMinutes = N(FailedEarlyMinutes),
            CrashLoopJobs = (int)N(CrashLoopJobs),
            CrashLoopHours = N(CrashLoopHours),
            SweepJobs = (int)N(SweepJobs),
            SweepMinutes = N(SweepMinutes),
            SweepArrayTasks = (int)N(SweepArrayTasks),
            ZeroGpuMinutes = N(ZeroGpuMinutes),
            LowGpuUtilisation = N(LowGpuUtilisation),
            LowGpuMinutes = N(LowGpuMinutes),
            IdleInteractiveHours = N(IdleInteractiveHours),
            IdleInteractiveUtilisation = N(IdleInteractiveUtilisation),
            Interactive = patterns,
            DataloaderGpuUtilisation = N(DataloaderGpuUtilisation),
            DataloaderCpuBusy = N(DataloaderCpuBusy),
            DataloaderMinutes = N(DataloaderMinutes),
            TailShare = N(TailShare),
            SweepMetric = metric,
            SweepMetricMaximize = maximize,
        };
    }

    // "NAME", or "NAME maximize" / "NAME minimize" for a name whose direction is not a well-known one's.
    private static (string? Name, bool? Maximize) Metric(string? text)
    {
        var words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return (null, null);
        var bad = $"setting {SweepMetric.ConfigKey} must be a metric name (1-{MetricPoint.MaxNameLength} letters, digits, _ . : / -), optionally followed by maximize or minimize, got '{string.Concat((text ?? "").Take(60))}'";
        if (words.Length > 2 || !MetricPoint.IsValidName(words[0])) throw new UsageException(bad);
        bool? maximize = words.Length == 1 ? null : words[1] switch { "maximize" => true, "minimize" => false, _ => throw new UsageException(bad) };
        if (maximize is null && MetricDirection.Maximize(words[0]) is null)
            throw new UsageException($"setting {SweepMetric.ConfigKey}: which way '{words[0]}' is better is not known from its name; write '{words[0]} maximize' or '{words[0]} minimize'");
        return (words[0], maximize);
    }
}
