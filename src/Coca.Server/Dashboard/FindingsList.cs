using System.Text;
using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Server.Dashboard;

/// <summary>
/// The behaviours engine run for a page: the selected jobs streamed through <see cref="BehaviourAnalysis"/>, its totals
/// and the findings that wasted most kept (not every one: a cluster's month can hold thousands).
/// </summary>
internal sealed class FindingsList
{
    public required BehaviourSummary Summary { get; init; }
    public required IReadOnlyList<Finding> Top { get; init; }
    public required long Count { get; init; }

    public static FindingsList Of(IJobStore store, JobQuery query, ServerOptions options, int keep)
    {
        var top = new PriorityQueue<Finding, double>();
        long count = 0;
        using var metrics = new MetricsLookup(() => JobStores.Open(options.Store, options.Carbon));
        var analysis = new BehaviourAnalysis(options.Behaviours, options.Carbon, f =>
        {
            count++;
            top.Enqueue(f, f.WastedKwh ?? 0);
            if (top.Count > keep) top.Dequeue();
        }, metricsOf: metrics.Of);
        foreach (var job in store.AnalysisJobs(query)) analysis.Add(job);
        var summary = analysis.Finish();
        var list = new List<Finding>();
        while (top.Count > 0) list.Add(top.Dequeue());
        list.Reverse();
        return new FindingsList { Summary = summary, Top = list, Count = count };
    }

    public void KindsTable(StringBuilder b) =>
        Html.Table(b, "Findings by kind", ["Behaviour", "Findings", "Jobs", "Avoidable energy", "Tip"],
            Summary.ByKind.OrderByDescending(k => k.Value.WastedKwh ?? 0).Select(k => (IReadOnlyList<string>)
                [Html.E(k.Key), k.Value.Findings.ToString("N0"), k.Value.Jobs.ToString("N0"), Html.Kwh(k.Value.WastedKwh), Html.E(BehaviourKind.Tip(k.Key))]));

    public void TopTable(StringBuilder b, string caption, bool showUser) =>
        Html.Table(b, caption, showUser ? ["Behaviour", "User", "Jobs", "Energy", "Avoidable", "Tip"] : ["Behaviour", "Jobs", "Energy", "Avoidable", "Tip"],
            Top.Select(f =>
            {
                var jobs = string.Join(", ", f.Jobs.Take(5).Select(j => $"<a href=\"/jobs/{Uri.EscapeDataString(j)}\">{Html.E(j)}</a>")) + (f.Jobs.Count > 5 ? $" and {f.Jobs.Count - 5} more" : "");
                var row = new List<string> { Html.E(f.Kind) };
                if (showUser) row.Add(Html.E(f.User));
                row.AddRange([jobs, Html.Kwh(f.EnergyKwh), Html.Kwh(f.WastedKwh), Html.E(f.Tip)]);
                return (IReadOnlyList<string>)row;
            }));
}
