using System.Globalization;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Commands.Site.Output;

/// <summary>The lines <c>coca job</c> adds after its report: how the emissions were produced, the embodied share, and both together.</summary>
internal static class CarbonLines
{
    public static string For(JobRow job, EmbodiedFactors factors, JobCarbonMethod? method)
    {
        var lines = new List<string>();
        var embodied = EmbodiedEmissions.ForJob(job.Gpus, job.ElapsedS, job.AllocCpus, factors);
        if (job.EmissionsG is { } operational)
        {
            var how = method?.Method is { } m
                ? $"{m}{(m == CarbonMethods.Hourly ? $", zone {method.Zone} ({method.Basis}), {(method.SeriesCoverage ?? 0).ToString("P0", CultureInfo.InvariantCulture)} of the energy met an hourly figure, the rest the yearly one" : "")}; " +
                  (method.Timeline == "series" ? "energy placed by the job's series" : "energy spread uniformly from start to end")
                : "yearly, written at ingest (coca carbon recompute applies the site's current inputs)";
            var whose = job.TotalUj is null ? "Slurm's energy (ConsumedEnergyRaw), " : "";
            lines.Add($"  operational: {G(operational)} CO2e — {whose}{how}");
        }
        lines.Add(embodied.Grams is { } e
            ? $"  embodied:    {G(e)} CO2e — the hardware's share: {factors.GpuKg:0.#} kg/GPU + {factors.ServerKg:0.#} kg/server over {factors.LifetimeYears:0.#} years, by GPU-hours and share of the node"
            : $"  embodied:    unknown ({embodied.Reason})");
        if (job.EmissionsG is { } o && embodied.Grams is { } g) lines.Add($"  total:       {G(o + g)} CO2e (operational + embodied)");
        return "carbon\n" + string.Join("\n", lines) + "\n";
    }

    /// <summary>The summary's last line: operational (measured jobs), embodied (GPU jobs' GPU-hours) and both, each labelled with what it covers.</summary>
    public static string Totals(JobTotals t, EmbodiedFactors factors)
    {
        var embodied = EmbodiedEmissions.ForGpuHours(t.GpuHours, factors);
        var operational = t.EmissionsG is { } o ? $"{G(o)} CO2e operational ({t.MeasuredJobs:N0} measured jobs)" : "operational: none measured";
        var made = embodied is { } e ? $"{G(e)} CO2e embodied ({t.GpuHours:N0} GPU-hours)" : "embodied: unknown ([embodied] node_gpus)";
        var both = t.EmissionsG is { } a && embodied is { } b ? $"; together {G(a + b)} CO2e" : "";
        return $"carbon: {operational}; {made}{both}";
    }

    public static string G(double grams) => grams >= 1000 ? $"{(grams / 1000).ToString("0.##", CultureInfo.InvariantCulture)} kg" : $"{grams.ToString("0.#", CultureInfo.InvariantCulture)} g";
}
