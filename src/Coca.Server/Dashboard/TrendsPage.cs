using System.Globalization;
using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary>
/// <c>/trends</c>, the rebound view: per month, total energy and GPU-hours beside energy per GPU-hour and per job. The
/// efficiency can improve while the total grows; both are on one page so that neither hides the other. Ratios use the
/// measured jobs only (energy per measured job), and are unknown where no job was measured.
/// </summary>
internal static class TrendsPage
{
    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options)
    {
        var months = PageParams.Whole(http, "months", 12, 1, 120);
        var now = options.Clock.GetUtcNow();
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1 - months);
        var rows = store.Summary(viewer.Jobs(start)).Months.Where(m => m.Key != "unknown").ToList();
        var b = new StringBuilder();
        b.Append("<p>Since ").Append(PageParams.Day(start)).Append(viewer.IsAdmin ? ", the whole cluster" : viewer.Account is { } a ? ", the jobs of account " + Html.E(a) : ", your jobs")
            .Append(". Totals on the left, efficiency on the right: a falling energy per GPU-hour with a rising total is a rebound.</p>");
        b.Append(SvgChart.Bars("energy-plot", "Total energy per month", "kWh", [.. rows.Select(m => (m.Key, m.Totals.EnergyKwh))]));
        b.Append(SvgChart.Bars("gpuh-plot", "GPU-hours per month", "GPU-hours", [.. rows.Select(m => (m.Key, (double?)m.Totals.GpuHours))]));
        b.Append(SvgChart.Bars("per-gpuh-plot", "Energy per GPU-hour", "kWh per GPU-hour", [.. rows.Select(m => (m.Key, PerGpuHour(m.Totals)))]));
        b.Append(SvgChart.Bars("per-job-plot", "Energy per measured job", "kWh per job", [.. rows.Select(m => (m.Key, PerJob(m.Totals)))]));
        Html.Table(b, "Per month (figures of the plots)", ["Month", "Jobs", "Measured jobs", "Energy", "GPU-hours", "kWh per GPU-hour", "kWh per measured job"],
            rows.Select(m => (IReadOnlyList<string>)
            [
                Html.E(m.Key), m.Totals.Jobs.ToString("N0", CultureInfo.InvariantCulture), m.Totals.MeasuredJobs.ToString("N0", CultureInfo.InvariantCulture),
                Html.Kwh(m.Totals.EnergyKwh), Html.Hours(m.Totals.GpuHours), Ratio(PerGpuHour(m.Totals)), Ratio(PerJob(m.Totals)),
            ]));
        b.Append("<p class=\"muted\">Energy per GPU-hour divides the measured energy by all GPU-hours of the month; where some jobs were not measured it reads low.</p>");
        return Layout.Page(http, viewer, "Trends", b.ToString());
    }

    private static double? PerGpuHour(JobTotals t) => t.EnergyKwh is { } e && t.GpuHours > 0 ? e / t.GpuHours : null;

    private static double? PerJob(JobTotals t) => t.EnergyKwh is { } e && t.MeasuredJobs > 0 ? e / t.MeasuredJobs : null;

    private static string Ratio(double? v) => v is { } x ? Html.Num(x) : Html.Unknown;
}
