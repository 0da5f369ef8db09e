using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary>
/// <c>/</c>: a user's last 30 days (energy, emissions, GPU-hours, jobs by state, their findings with tips, their months
/// before); an admin's, the cluster's (energy per day, by partition and account, the share in jobs that did not
/// complete, top users, top findings).
/// </summary>
internal static class HomePage
{
    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options)
    {
        var now = options.Clock.GetUtcNow();
        var since = now.AddDays(-30);
        var month = viewer.Jobs(since);
        var summary = store.Summary(month);
        var b = new StringBuilder();
        b.Append("<p class=\"muted\">The last 30 days, since ").Append(Html.Time(since)).Append(".</p><div class=\"cards\">");
        Card(b, "Energy", Html.Kwh(summary.Total.EnergyKwh), Html.Covers(summary.Total));
        Card(b, "Emissions", Html.Grams(summary.Total.EmissionsG), "operational, of the measured jobs");
        Card(b, "GPU-hours", Html.Hours(summary.Total.GpuHours), $"{summary.Total.Jobs:N0} jobs");
        Card(b, "Energy in jobs that did not complete", Html.Share(summary.ShareNotCompleted), "among jobs whose end is known");
        b.Append("</div>");
        Html.Table(b, "Jobs by state", ["State", "Jobs", "Energy", "GPU-hours"], summary.States.Select(s => (IReadOnlyList<string>)
            [$"<a href=\"/jobs?{Html.Query(("state", s.Key == "UNKNOWN" ? null : s.Key))}\">{Html.E(s.Key)}</a>", s.Totals.Jobs.ToString("N0"), Html.Kwh(s.Totals.EnergyKwh), Html.Hours(s.Totals.GpuHours)]));
        if (viewer.IsAdmin) Cluster(b, store, month);
        else Months(b, store, viewer, now);

        var findings = FindingsList.Of(store, month, options, keep: viewer.IsAdmin ? 10 : 20);
        b.Append("<h2>").Append(viewer.SeesOthers ? "Top findings" : "Your findings").Append("</h2><p>Avoidable energy: ").Append(Html.Kwh(findings.Summary.WastedKwh))
            .Append(" in ").Append(findings.Count.ToString("N0")).Append(" findings. <a href=\"/behaviours\">All behaviours</a></p>");
        findings.TopTable(b, viewer.SeesOthers ? "Findings that wasted most" : "Your findings, most avoidable energy first", showUser: viewer.SeesOthers);
        var title = viewer.IsAdmin ? "The cluster" : viewer.Account is { } account ? $"Account {account}: the last 30 days" : "Your last 30 days";
        return Layout.Page(http, viewer, title, b.ToString());
    }

    private static void Cluster(StringBuilder b, IJobStore store, JobQuery month)
    {
        var days = store.Breakdown(month, JobGrouping.Day);
        b.Append(SvgChart.Bars("days-plot", "Energy per day", "kWh", [.. days.Select(d => (d.Key.Length > 5 ? d.Key[5..] : d.Key, d.Totals.EnergyKwh))]));
        Html.Table(b, "Per day (figures of the plot)", ["Day", "Jobs", "Energy", "Emissions", "GPU-hours"], days.Select(Row));
        // Weeks show the trend a month of days hides: from twelve weeks ago, each named by its Monday.
        var weeks = store.Breakdown(month with { Since = month.Since?.AddDays(-54) }, JobGrouping.Week);
        b.Append(SvgChart.Bars("weeks-plot", "Energy per week (from 12 weeks ago, each named by its Monday)", "kWh", [.. weeks.Select(w => (w.Key.Length > 5 ? w.Key[5..] : w.Key, w.Totals.EnergyKwh))]));
        Html.Table(b, "Per week (figures of the plot)", ["Week of", "Jobs", "Energy", "Emissions", "GPU-hours"], weeks.Select(Row));
        Html.Table(b, "By partition", ["Partition", "Jobs", "Energy", "Emissions", "GPU-hours"], store.Breakdown(month, JobGrouping.Partition).Select(Row));
        Html.Table(b, "By account", ["Account", "Jobs", "Energy", "Emissions", "GPU-hours"], store.Breakdown(month, JobGrouping.Account).Select(Row));
        Html.Table(b, "Top users", ["User", "Jobs", "Energy", "Emissions", "GPU-hours", "Energy in jobs that did not complete"], store.Users(month.Since).Take(10).Select(u =>
            (IReadOnlyList<string>)[$"<a href=\"/jobs?{Html.Query(("user", u.User))}\">{Html.E(u.User)}</a>", u.Jobs.ToString("N0"), Html.Kwh(u.EnergyKwh), Html.Grams(u.EmissionsG),
                Html.Hours(u.GpuHours), Html.Share(u.ShareNotCompleted)]));
        b.Append("<p class=\"muted\">Idle energy of unallocated devices is not in the store: the agents export it (<code>coca_idle_energy_joules_total</code>, see deploy/grafana).</p>");
    }

    private static void Months(StringBuilder b, IJobStore store, Viewer viewer, DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-5);
        var months = store.Summary(viewer.Jobs(start)).Months;
        b.Append(SvgChart.Bars("months-plot", "Your energy per month", "kWh", [.. months.Select(m => (m.Key, m.Totals.EnergyKwh))]));
        Html.Table(b, "Your months (figures of the plot)", ["Month", "Jobs", "Energy", "Emissions", "GPU-hours"], months.Select(Row));
    }

    private static IReadOnlyList<string> Row(SummaryGroup g) =>
        [Html.E(g.Key), g.Totals.Jobs.ToString("N0"), Html.Kwh(g.Totals.EnergyKwh), Html.Grams(g.Totals.EmissionsG), Html.Hours(g.Totals.GpuHours)];

    private static void Card(StringBuilder b, string label, string value, string note) =>
        b.Append("<div class=\"card\">").Append(label).Append("<b>").Append(value).Append("</b><span class=\"muted\">").Append(note).Append("</span></div>");
}
