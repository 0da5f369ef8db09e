namespace Coca.Core.Reports;

/// <summary>A share (0–1, may exceed 1 where a job used more than it asked), or null with the reason it is unknown.</summary>
public sealed record Share(double? Value, string? Reason)
{
    public static Share Known(double value) => new(value, null);
    public static Share Unknown(string reason) => new(null, reason);
}

/// <summary>
/// What <c>seff</c> shows, from Slurm's accounting: CPU efficiency (TotalCPU / (Elapsed × AllocCPUS)), memory
/// efficiency (MaxRSS / requested memory) and time-limit use (Elapsed / Timelimit). Each is null with its reason
/// when an input is missing, never 0.
/// </summary>
public sealed record JobEfficiency(Share Cpu, Share Memory, Share TimeLimit)
{
    public static JobEfficiency Of(double? elapsedS, double? totalCpuS, int? allocCpus, long? maxRssBytes, long? reqMemBytes, long? timelimitS)
    {
        var ran = elapsedS is > 0;
        var cpu = !ran ? Share.Unknown("the job did not run (no elapsed time)")
            : totalCpuS is not { } cpuS ? Share.Unknown("CPU time unknown (sacct's TotalCPU not imported)")
            : allocCpus is not (> 0 and var cpus) ? Share.Unknown("allocated CPUs unknown (sacct's AllocCPUS not imported)")
            : Share.Known(cpuS / (elapsedS!.Value * cpus));
        var memory = maxRssBytes is not { } rss ? Share.Unknown("peak memory unknown (no step recorded MaxRSS)")
            : reqMemBytes is not (> 0 and var requested) ? Share.Unknown("requested memory unknown (sacct's ReqMem not imported)")
            : Share.Known(rss / (double)requested);
        var limit = !ran ? Share.Unknown("the job did not run (no elapsed time)")
            : timelimitS is not (> 0 and var l) ? Share.Unknown("no time limit (UNLIMITED, or Timelimit not imported)")
            : Share.Known(elapsedS!.Value / l);
        return new JobEfficiency(cpu, memory, limit);
    }
}

/// <summary>
/// One GPU of the job as its stored series saw it: mean utilisation (0–1) over the points that carried one. GPU memory
/// is not in the series: <see cref="MemoryBytes"/> stays null with <see cref="MemoryReason"/>.
/// </summary>
public sealed record GpuUse(string Node, string Device, double? Utilisation, int Points)
{
    public long? MemoryBytes { get; init; }
    public string? MemoryReason { get; init; } = "not recorded";
}

/// <summary>
/// A behaviour found in the job (<c>failed_late</c>, <c>crash_loop</c>, …), the energy it wasted (null when unknown)
/// and what to do about it: filled by the behaviours engine, shown by the report when there is any.
/// </summary>
public sealed record JobFinding(string Kind, double? WastedKwh, string Tip);
