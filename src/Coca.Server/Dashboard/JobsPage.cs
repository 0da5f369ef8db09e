using System.Text;
using Coca.Core.Jobs;
using Coca.Storage;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary><c>/jobs</c>: the viewer's jobs (an admin's: everyone's), filtered by state, dates, partition and tag, sorted, a page at a time.</summary>
internal static class JobsPage
{
    public const int PageSize = 50;

    private static readonly (string Key, string Label, JobOrder Order)[] Sorts =
        [("newest", "newest first", JobOrder.Newest), ("oldest", "oldest first", JobOrder.Oldest), ("energy", "most energy", JobOrder.MostEnergy), ("-energy", "least energy", JobOrder.LeastEnergy)];

    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store)
    {
        var state = PageParams.Text(http, "state");
        var partition = PageParams.Text(http, "partition");
        var tag = PageParams.Text(http, "tag");
        var since = PageParams.Date(http, "since");
        var until = PageParams.Date(http, "until");
        var user = viewer.SeesOthers ? PageParams.Text(http, "user") : viewer.Subject;
        var sortKey = PageParams.Text(http, "sort") ?? "newest";
        var sort = Sorts.FirstOrDefault(s => s.Key == sortKey);
        if (sort.Key is null) throw new BadPageRequest("sort must be one of " + string.Join(", ", Sorts.Select(s => s.Key)));
        if (tag is not null && !JobTags.TryFilter(tag, out _)) throw new BadPageRequest("tag must be one KEY=VALUE");
        var page = PageParams.Whole(http, "page", 1, 1, 1_000_000);

        var query = new JobQuery(user, viewer.Account, state, since, until, PageSize + 1) { Partition = partition, Tag = tag, Order = sort.Order, Offset = (page - 1) * PageSize };
        var rows = store.Jobs(query);
        var b = new StringBuilder();
        b.Append("<form method=\"get\" action=\"/jobs\" aria-label=\"filter jobs\">");
        if (viewer.SeesOthers) Field(b, "user", "User", user);
        Field(b, "state", "State", state);
        Field(b, "partition", "Partition", partition);
        Field(b, "tag", "Tag (key=value)", tag);
        b.Append("<label>Since <input type=\"date\" name=\"since\" value=\"").Append(PageParams.Day(since)).Append("\"></label>")
            .Append("<label>Until <input type=\"date\" name=\"until\" value=\"").Append(PageParams.Day(until)).Append("\"></label>")
            .Append("<label>Sort <select name=\"sort\">");
        foreach (var s in Sorts) b.Append("<option value=\"").Append(s.Key).Append(s.Key == sortKey ? "\" selected>" : "\">").Append(s.Label).Append("</option>");
        b.Append("</select></label><button type=\"submit\">Show</button></form>");

        Html.Table(b, $"Jobs, page {page}", ["Job", "Name", "User", "Partition", "State", "Submitted", "Elapsed", "GPUs", "Energy", "Emissions", "Provenance"],
            rows.Take(PageSize).Select(j => (IReadOnlyList<string>)
            [
                $"<a href=\"/jobs/{Uri.EscapeDataString(j.JobId)}\">{Html.E(j.JobId)}</a>", Html.E(j.Name), Html.E(j.User), Html.E(j.Partition),
                Html.E(j.State ?? "unknown"), Html.Time(j.Submit ?? j.Start), j.ElapsedS is { } e ? TimeSpan.FromSeconds(e).ToString() : Html.Unknown,
                j.Gpus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Html.Unknown,
                j.TotalUj is { } uj ? Html.Kwh(uj / 3.6e12) : j.SlurmEnergyJ is { } sj ? Html.Kwh(sj / 3.6e6) + " (Slurm's)" : Html.Unknown + " (no agent, no Slurm figure)",
                Html.Grams(j.EmissionsG), Html.E(j.Provenance ?? "none"),
            ]));

        var keep = Html.Query(("user", viewer.SeesOthers ? user : null), ("state", state), ("partition", partition), ("tag", tag),
            ("since", PageParams.Day(since)), ("until", PageParams.Day(until)), ("sort", sortKey));
        b.Append("<nav aria-label=\"pages\">");
        if (page > 1) b.Append("<a rel=\"prev\" href=\"/jobs?").Append(keep).Append("&amp;page=").Append(page - 1).Append("\">← previous</a> ");
        if (rows.Count > PageSize) b.Append("<a rel=\"next\" href=\"/jobs?").Append(keep).Append("&amp;page=").Append(page + 1).Append("\">next →</a>");
        b.Append("</nav>");
        return Layout.Page(http, viewer, viewer.IsAdmin ? "Jobs" : viewer.Account is { } a ? "Jobs of account " + a : "Your jobs", b.ToString());
    }

    private static void Field(StringBuilder b, string name, string label, string? value) =>
        b.Append("<label>").Append(label).Append(" <input name=\"").Append(name).Append("\" value=\"").Append(Html.E(value)).Append("\" size=\"10\"></label>");
}
