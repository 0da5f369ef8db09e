using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary><c>/users</c> (admins only): every user's totals since a date (30 days back unless <c>since</c> says), and their findings.</summary>
internal static class UsersPage
{
    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options, ILogger logger)
    {
        if (!viewer.IsAdmin)
        {
            logger.LogWarning("403 /users for {Role} {Subject}: admins only", viewer.Role, viewer.Subject);
            return Layout.Page(http, viewer, "Admins only", "<p class=\"bad\">Only admins see every user's totals. <a href=\"/jobs\">Your jobs</a></p>", 403);
        }
        var since = PageParams.Date(http, "since") ?? options.Clock.GetUtcNow().AddDays(-30);
        var b = new StringBuilder();
        b.Append("<form method=\"get\" action=\"/users\"><label>Since <input type=\"date\" name=\"since\" value=\"").Append(PageParams.Day(since))
            .Append("\"></label><button type=\"submit\">Show</button></form>");
        Html.Table(b, "Per user, since " + PageParams.Day(since), ["User", "Jobs", "Measured", "Energy", "Emissions", "GPU-hours", "Energy in jobs that did not complete", "Findings"],
            store.Users(since).Select(u => (IReadOnlyList<string>)
            [
                $"<a href=\"/jobs?{Html.Query(("user", u.User))}\">{Html.E(u.User)}</a>", u.Jobs.ToString("N0"), u.MeasuredJobs.ToString("N0"),
                Html.Kwh(u.EnergyKwh), Html.Grams(u.EmissionsG), Html.Hours(u.GpuHours), Html.Share(u.ShareNotCompleted),
                $"<a href=\"/behaviours?{Html.Query(("user", u.User), ("since", PageParams.Day(since)))}\">findings</a>",
            ]));
        return Layout.Page(http, viewer, "Users", b.ToString());
    }
}
