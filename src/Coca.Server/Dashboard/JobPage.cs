using System.Globalization;
using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// <c>/jobs/{id}</c>: what the job held and how it ended, its energy by component with provenance and coverage, its
/// emissions with their inputs, power per device over time (plot, figures table, CSV), the metrics it reported and its
/// runs' energy-vs-metric trade-off, the behaviours it triggered.
/// </summary>
internal static class JobPage
{
    private const int TableRows = 500;

    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options, ILogger logger, string id)
    {
        if (SeriesExport.Find(http, viewer, store, logger, id, out var refusal) is not { } job) return refusal!;
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        Html.Table(b, "What it held and how it ended", ["Field", "Value"], new (string, string)[]
        {
            ("Name", Html.E(job.Name)), ("User", Html.E(job.User)), ("Account", Html.E(job.Account)), ("Partition", Html.E(job.Partition)),
            ("Nodes", Html.E(job.Nodes)), ("GPUs", job.Gpus?.ToString(inv) ?? Html.Unknown), ("CPUs", job.AllocCpus?.ToString(inv) ?? Html.Unknown),
            ("State", Html.E(job.State ?? "unknown (Slurm has not said yet)")), ("Exit code", Html.E(job.ExitCode)),
            ("Submitted", Html.Time(job.Submit)), ("Started", Html.Time(job.Start)), ("Ended", Html.Time(job.End)),
            ("Elapsed", job.ElapsedS is { } e ? TimeSpan.FromSeconds(e).ToString() : Html.Unknown),
            ("Mean GPU utilisation", job.GpuUtilisation is { } u ? Html.Share(u) + $" (seen by {Html.E(job.GpuUtilisationSource)})" : Html.Unknown),
        }.Select(r => (IReadOnlyList<string>)[r.Item1, r.Item2]));

        Energy(b, job);
        Emissions(b, job, store.CarbonMethod(job.JobIdRaw));
        Series(b, job, store);
        JobTradeoff.Render(b, job, store, viewer, options.Behaviours);

        var findings = JobFindings.Of(store, job, options.Behaviours, options.Carbon);
        Html.Table(b, "Behaviours this job triggered", ["Behaviour", "Avoidable energy", "Tip"],
            findings.Select(f => (IReadOnlyList<string>)[Html.E(f.Kind), Html.Kwh(f.WastedKwh), Html.E(f.Tip)]));
        return Layout.Page(http, viewer, $"Job {job.JobId}", b.ToString());
    }

    private static void Energy(StringBuilder b, JobRow job)
    {
        if (job.TotalUj is null)
        {
            b.Append("<p>Energy: ").Append(Html.Unknown).Append(job.SlurmEnergyJ is { } sj
                ? $" — no agent measured this job; Slurm's own figure is {Html.Kwh(sj / 3.6e6)}." : " — no agent measured this job and Slurm gave no figure.").Append("</p>");
            return;
        }
        var words = job.Provenance?.Split(',') ?? [];
        var parts = new (string Name, long? Uj)[] { ("CPU", job.CpuUj), ("DRAM", job.DramUj), ("GPU", job.GpuUj), ("other (node meter)", job.OtherUj) };
        // A component no source measured is unknown, not 0 kWh, even though the store keeps 0 beside "none".
        Html.Table(b, "Energy by component", ["Component", "Energy", "Provenance"], parts.Select((p, i) =>
        {
            var provenance = i < words.Length ? words[i].Trim() : "none";
            var energy = p.Uj is { } uj && provenance != "none" ? Html.Kwh(uj / 3.6e12) : Html.Unknown + " (not measured)";
            return (IReadOnlyList<string>)[p.Name, energy, Html.E(provenance)];
        }));
        b.Append("<p>Total ").Append(Html.Kwh(job.TotalUj / 3.6e12)).Append("; coverage ").Append(Html.Share(job.Coverage))
            .Append(" of the job's devices and time measured; the total sums the measured components. Provenance: measured (a counter), derived (integrated from sampled power), estimated (a model), none.</p>");
        if (job.OtherCharge is { } other) b.Append("<p>Other (what only the node meter sees) charged by ").Append(Html.E(other.Text)).Append(".</p>");
    }

    private static void Emissions(StringBuilder b, JobRow job, JobCarbonMethod? method)
    {
        Html.Table(b, "Emissions and their inputs", ["Input", "Value"], new (string, string)[]
        {
            ("Operational emissions", Html.Grams(job.EmissionsG)),
            ("Grid intensity", job.CarbonIntensityGPerKwh is { } ci ? Html.Num(ci) + " gCO2e/kWh" : Html.Unknown),
            ("PUE", job.Pue is { } pue ? Html.Num(pue) : Html.Unknown),
            ("Method", Html.E(method?.Method ?? "yearly figure at ingest")), ("Zone", Html.E(method?.Zone ?? "—")), ("Basis", Html.E(method?.Basis ?? "—")),
            ("Share of energy that met an hourly figure", Html.Share(method?.SeriesCoverage)),
        }.Select(r => (IReadOnlyList<string>)[r.Item1, r.Item2]));
    }

    private static void Series(StringBuilder b, JobRow job, IJobStore store)
    {
        b.Append("<h2>Power per device over time</h2>");
        var points = JobSeries.Power(store.Series(job.JobIdRaw));
        if (points.Count == 0)
        {
            b.Append("<p class=\"muted\">No series stored for this job (none sent, or older than the server's series retention).</p>");
            return;
        }
        var first = points.Min(p => p.Time);
        static string Since(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)) is var t && t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
        var xTitle = "time since " + Html.Time(first, seconds: true) + " (h:mm:ss)";
        b.Append(SvgChart.Lines("power-plot", "Power per device", "W", xTitle, JobSeries.Lines(points, first, p => p.PowerW), Since, SvgChart.SecondsTicks));
        if (points.Any(p => p.Utilisation is not null))
        {
            b.Append(SvgChart.Lines("util-plot", "GPU utilisation per device", "%", xTitle, JobSeries.Lines(points, first, p => p.Utilisation * 100), Since, SvgChart.SecondsTicks));
        }
        b.Append("<p><a href=\"/jobs/").Append(Uri.EscapeDataString(job.JobId)).Append("/series.csv\">Download the figures (CSV, ")
            .Append(points.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(" points)</a></p>");
        b.Append("<details open><summary>Figures of the plot").Append(points.Count > TableRows ? $" (first {TableRows}; all in the CSV)" : "").Append("</summary>");
        Html.Table(b, "Power per device", ["Device", "Time", "Power", "Power from", "GPU utilisation"], points.Take(TableRows).Select(p => (IReadOnlyList<string>)
            [Html.E(p.Device), Html.Time(p.Time, seconds: true), p.PowerW is { } w ? Html.Num(w) + " W" : Html.Unknown,
             p.PowerW is null ? "—" : p.Derived ? "derived from energy" : "sampled", Html.Share(p.Utilisation)]));
        b.Append("</details>");
    }
}
