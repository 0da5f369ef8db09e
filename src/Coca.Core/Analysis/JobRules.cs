using Coca.Core.Accounting;
using Coca.Core.Carbon;

namespace Coca.Core.Analysis;

/// <summary>
/// The behaviours one job shows on its own (all but <c>crash_loop</c> and <c>sweep</c>, which need its neighbours).
/// Among the GPU-use kinds one fires per job, the first of <c>zero_gpu</c>, <c>idle_interactive</c>, <c>low_gpu</c>,
/// <c>dataloader_bound</c>, so that one idle GPU-hour is never named twice; <c>unused_gpus</c> only where not all GPUs
/// were unused (that is <c>zero_gpu</c>); failures and the tail after the last GPU activity stand beside them.
/// </summary>
public sealed class JobRules(BehaviourRules rules, CarbonInputs siteCarbon)
{
    // Boxed once: the thresholds go into the detail of millions of findings.
    private readonly object _failedEarlyMinutes = rules.FailedEarlyMinutes, _lowGpuUtilisation = rules.LowGpuUtilisation, _lowGpuMinutes = rules.LowGpuMinutes;

    public BehaviourRules Rules => rules;

    /// <summary>Appends the job's findings to <paramref name="found"/>.</summary>
    public void Evaluate(AnalysisJob job, List<Finding> found)
    {
        var elapsedMin = job.ElapsedS / 60.0;
        var completed = JobStates.HasCompleted(job.State);
        if (completed == false && job.ElapsedS > 0)
        {
            var early = elapsedMin <= rules.FailedEarlyMinutes;
            found.Add(Make(job, early ? BehaviourKind.FailedEarly : BehaviourKind.FailedLate, job.EnergyJ, null,
                ("state", job.State), ("elapsed_s", job.ElapsedS), (early ? "threshold_max_minutes" : "threshold_over_minutes", _failedEarlyMinutes)));
        }
        if (job.Gpus is not > 0 || job.GpuUtilisation is not { } util) return;
        var (gpuEnergy, basis) = GpuEnergy(job);
        if (util == 0 && elapsedMin > rules.ZeroGpuMinutes)
        {
            found.Add(Make(job, BehaviourKind.ZeroGpu, gpuEnergy, basis, ("gpus", job.Gpus), ("gpu_utilisation", util), ("utilisation_source", job.GpuUtilisationSource),
                ("elapsed_s", job.ElapsedS), ("threshold_over_minutes", rules.ZeroGpuMinutes)));
        }
        else if (rules.IsInteractive(job) && elapsedMin > rules.IdleInteractiveHours * 60 && util <= rules.IdleInteractiveUtilisation)
        {
            found.Add(Make(job, BehaviourKind.IdleInteractive, gpuEnergy * (1 - util), basis, ("gpus", job.Gpus), ("gpu_utilisation", util),
                ("utilisation_source", job.GpuUtilisationSource), ("elapsed_s", job.ElapsedS), ("partition", job.Partition), ("threshold_over_hours", rules.IdleInteractiveHours),
                ("threshold_max_utilisation", rules.IdleInteractiveUtilisation)));
        }
        else if (util <= rules.LowGpuUtilisation && elapsedMin > rules.LowGpuMinutes)
        {
            found.Add(Make(job, BehaviourKind.LowGpu, gpuEnergy * (1 - util), basis, ("gpus", job.Gpus), ("gpu_utilisation", util),
                ("utilisation_source", job.GpuUtilisationSource), ("elapsed_s", job.ElapsedS), ("threshold_max_utilisation", _lowGpuUtilisation),
                ("threshold_over_minutes", _lowGpuMinutes)));
        }
        else if (util < rules.DataloaderGpuUtilisation && elapsedMin > rules.DataloaderMinutes && CpuBusy(job) is { } busy && busy >= rules.DataloaderCpuBusy)
        {
            found.Add(Make(job, BehaviourKind.DataloaderBound, gpuEnergy * (1 - util), basis, ("gpu_utilisation", util), ("utilisation_source", job.GpuUtilisationSource),
                ("cpu_busy", busy), ("total_cpu_s", job.TotalCpuS), ("alloc_cpus", job.AllocCpus), ("elapsed_s", job.ElapsedS),
                ("threshold_max_gpu_utilisation", rules.DataloaderGpuUtilisation), ("threshold_min_cpu_busy", rules.DataloaderCpuBusy)));
        }
        if (util > 0 && job.UnusedGpus is > 0 and var unused && unused < job.Gpus)
        {
            found.Add(Make(job, BehaviourKind.UnusedGpus, job.UnusedGpuEnergyJ, "the unused GPUs' energy (agent)", ("gpus", job.Gpus), ("unused_gpus", unused),
                ("gpu_utilisation", util)));
        }
        if (job.AgentEnergyJ is > 0 and var energy && job.EnergyAfterLastGpuActivityJ is { } tail && tail > rules.TailShare * energy)
        {
            found.Add(Make(job, BehaviourKind.TailAfterGpuActivity, tail, "energy after the last GPU activity (agent)", ("energy_after_last_gpu_activity_j", tail),
                ("share", tail / energy), ("threshold_share", rules.TailShare)));
        }
    }

    /// <summary>TotalCPU / (Elapsed × AllocCPUS): how busy the job's CPUs were, 0–1 (capped); null when a figure is missing.</summary>
    public static double? CpuBusy(AnalysisJob job) =>
        job.TotalCpuS is { } cpu && job.ElapsedS is > 0 and var e && job.AllocCpus is > 0 and var n ? Math.Min(1, cpu / ((double)e * n)) : null;

    // The GPU energy where an agent measured it; else the job's whole energy (Slurm's), and the finding says so.
    private static (double? Joules, string Basis) GpuEnergy(AnalysisJob job) =>
        job.AgentGpuEnergyJ is { } gpu ? (gpu, "GPU energy (agent)")
        : job.EnergyJ is { } total ? (total, "the job's whole energy (" + job.EnergySource + "): its GPUs' share is not known")
        : (null, "unknown energy");

    /// <summary>Grams of CO2e for <paramref name="joules"/> of the job: its own stored inputs where an agent measured it, else the site's.</summary>
    public double? Emissions(AnalysisJob job, double? joules)
    {
        if (joules is not { } j) return null;
        if (job.AgentEnergyJ is > 0 and var measured && job.EmissionsG is { } g) return g * j / measured;
        return CarbonCalculator.EmissionsGrams(j, siteCarbon);
    }

    // One array of exactly the detail's size: a year's millions of findings made a tuple array, a list grown by one,
    // and an iterator each before.
    private Finding Make(AnalysisJob job, string kind, double? wastedJ, string? basis, params ReadOnlySpan<(string Key, object? Value)> detail)
    {
        var all = new KeyValuePair<string, object?>[detail.Length + (basis is null ? 0 : 1)];
        for (var i = 0; i < detail.Length; i++) all[i] = new(detail[i].Key, detail[i].Value);
        if (basis is not null) all[^1] = new("wasted_basis", basis);
        return new Finding(kind, job.User, [job.JobId], Kwh(job.EnergyJ), Kwh(wastedJ), Emissions(job, job.EnergyJ), Emissions(job, wastedJ),
            job.EnergySource ?? "unknown", all);
    }

    internal static double? Kwh(double? joules) => joules / 3.6e6;
}
