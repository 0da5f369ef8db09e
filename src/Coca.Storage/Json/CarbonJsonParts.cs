using Coca.Core.Carbon;

namespace Coca.Storage.Json;

/// <summary>
/// The carbon parts of a job's and a user's JSON that are computed at read time: the embodied share (from the
/// site's <see cref="EmbodiedFactors"/>), the sum with the operational emissions, and how the operational figure was
/// produced (the method a recompute stored).
/// </summary>
public static class CarbonJsonParts
{
    /// <summary>A job with <c>embodied_g</c> (or <c>embodied_note</c>, why not), <c>emissions_and_embodied_g</c>, and the method in <c>carbon</c>.</summary>
    public static JobJson With(this JobJson json, JobRow row, EmbodiedFactors factors, JobCarbonMethod? method = null)
    {
        var embodied = EmbodiedEmissions.ForJob(row.Gpus, row.ElapsedS, row.AllocCpus, factors);
        var carbon = json.Carbon;
        if (carbon is not null)
        {
            carbon = carbon with
            {
                // A figure written at ingest (no method stored) is the yearly one.
                Method = method is null ? null : method.Method ?? CarbonMethods.Yearly,
                Zone = method?.Zone,
                Basis = method?.Basis,
                SeriesCoverage = method is null ? null : method.SeriesCoverage ?? 0,
                Timeline = method is null ? null : method.Timeline ?? "uniform",
                Energy = row.TotalUj is not null ? "agent" : row.EmissionsG is not null ? "slurm" : null,
            };
        }
        return json with
        {
            Carbon = carbon,
            EmbodiedG = embodied.Grams,
            EmbodiedNote = embodied.Reason,
            EmissionsAndEmbodiedG = json.EmissionsG is { } e && embodied.Grams is { } g ? e + g : null,
        };
    }

    /// <summary>A user's totals with <c>embodied_g</c> (GPU jobs, from their GPU-hours) and <c>emissions_and_embodied_g</c>.</summary>
    public static UserJson With(this UserJson json, EmbodiedFactors factors)
    {
        var embodied = EmbodiedEmissions.ForGpuHours(json.GpuHours, factors);
        return json with { EmbodiedG = embodied, EmissionsAndEmbodiedG = json.EmissionsG is { } e && embodied is { } g ? e + g : null };
    }
}
