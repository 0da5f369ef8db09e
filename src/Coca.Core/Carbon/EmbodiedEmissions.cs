namespace Coca.Core.Carbon;

/// <summary>
/// What making the hardware cost, and how it is shared out: <paramref name="GpuKg"/> per GPU and
/// <paramref name="ServerKg"/> per server without its GPUs (kgCO2e), written off over
/// <paramref name="LifetimeYears"/>; a node's <paramref name="NodeGpus"/> and <paramref name="NodeCores"/> decide
/// a job's share of its server (null: unknown, and then a job that needs it has no figure).
/// </summary>
public sealed record EmbodiedFactors(double GpuKg, double ServerKg, double LifetimeYears, double? NodeGpus, double? NodeCores)
{
    /// <summary>
    /// BLOOM's figures (Luccioni, Viguier, Ligozat 2022, "Estimating the Carbon Footprint of BLOOM"): 150 kg a GPU,
    /// 2,500 kg a server, 6 years; nodes assumed of 8 GPUs and 64 cores (the settings' defaults).
    /// </summary>
    public static readonly EmbodiedFactors Defaults = new(150, 2500, 6, 8, 64);

    public const double HoursPerYear = 365.25 * 24;
}

/// <summary>A job's embodied emissions in grams, or null with the reason it cannot be said.</summary>
public sealed record EmbodiedFigure(double? Grams, string? Reason)
{
    public static EmbodiedFigure Unknown(string reason) => new(null, reason);
}

/// <summary>
/// The hardware's share charged to a job: <c>gpu_kg / lifetime × GPU-hours + server_kg / lifetime × node-hours ×
/// share of the node</c>, where the share is the job's GPUs over the node's (a GPU job) or its cores over the
/// node's (a CPU-only job). Node-hours × share is then GPU-hours / node_gpus (or core-hours / node_cores), whatever
/// the number of nodes, so the node list is not needed.
/// </summary>
public static class EmbodiedEmissions
{
    public static EmbodiedFigure ForJob(int? gpus, long? elapsedS, int? allocCpus, EmbodiedFactors f)
    {
        if (elapsedS is not { } seconds || seconds < 0) return EmbodiedFigure.Unknown("elapsed time unknown");
        if (gpus is not { } g || g < 0) return EmbodiedFigure.Unknown("GPU count unknown");
        var hours = seconds / 3600.0;
        var lifetimeHours = f.LifetimeYears * EmbodiedFactors.HoursPerYear;
        if (g > 0)
        {
            if (f.NodeGpus is not { } nodeGpus || nodeGpus <= 0) return EmbodiedFigure.Unknown("GPUs per node unknown ([embodied] node_gpus)");
            var gpuHours = g * hours;
            return new EmbodiedFigure(1000 * (f.GpuKg * gpuHours + f.ServerKg * gpuHours / nodeGpus) / lifetimeHours, null);
        }
        if (allocCpus is not { } cpus || cpus < 0) return EmbodiedFigure.Unknown("allocated CPUs unknown");
        if (f.NodeCores is not { } nodeCores || nodeCores <= 0) return EmbodiedFigure.Unknown("cores per node unknown ([embodied] node_cores)");
        return new EmbodiedFigure(1000 * f.ServerKg * cpus * hours / nodeCores / lifetimeHours, null);
    }

    /// <summary>Embodied grams of GPU-hours, for sums that know GPU-hours only (users, summaries): the GPU jobs' part.</summary>
    public static double? ForGpuHours(double gpuHours, EmbodiedFactors f) =>
        f.NodeGpus is { } n && n > 0 ? 1000 * (f.GpuKg * gpuHours + f.ServerKg * gpuHours / n) / (f.LifetimeYears * EmbodiedFactors.HoursPerYear) : null;
}
