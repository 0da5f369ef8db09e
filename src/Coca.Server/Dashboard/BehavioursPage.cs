using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary><c>/behaviours</c>: the findings of the viewer's jobs (an admin's: everyone's, or one user's) by kind, with the tips, and those that wasted most.</summary>
internal static class BehavioursPage
{
    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options)
    {
        var since = PageParams.Date(http, "since") ?? options.Clock.GetUtcNow().AddDays(-30);
        var user = viewer.SeesOthers ? PageParams.Text(http, "user") : viewer.Subject;
        var findings = FindingsList.Of(store, viewer.Jobs(since, user), options, keep: 50);
        var b = new StringBuilder();
        b.Append("<form method=\"get\" action=\"/behaviours\">");
        if (viewer.SeesOthers) b.Append("<label>User <input name=\"user\" value=\"").Append(Html.E(user)).Append("\" size=\"10\"></label>");
        b.Append("<label>Since <input type=\"date\" name=\"since\" value=\"").Append(PageParams.Day(since)).Append("\"></label><button type=\"submit\">Show</button></form>");
        b.Append("<p>").Append(findings.Summary.Jobs.ToString("N0")).Append(" jobs analysed, ").Append(Html.Kwh(findings.Summary.EnergyKwh))
            .Append(" known (").Append(findings.Summary.UnknownEnergyJobs.ToString("N0")).Append(" jobs with no energy known); avoidable: ")
            .Append(Html.Kwh(findings.Summary.WastedKwh)).Append(", each job counted once.</p>");
        findings.KindsTable(b);
        findings.TopTable(b, "The findings that wasted most", showUser: viewer.SeesOthers);
        var title = user is not null ? "Behaviours of " + user : viewer.Account is { } account ? "Behaviours in account " + account : "Behaviours";
        return Layout.Page(http, viewer, title, b.ToString());
    }
}
