using System.Globalization;
using System.Text;
using Coca.Core.Analysis;
using Coca.Core.Metrics;
using Coca.Storage;

namespace Coca.Server.Dashboard;

/// <summary>
/// The job page's "What it achieved": the metrics its script reported (<c>coca metric</c>, <c>log_metric</c>, an import), and
/// the trade-off figure of its runs — its array's tasks, else the owner's jobs of its fingerprint, as <c>coca tradeoff
/// --sweep</c> — by the metric the sweep finding uses (<see cref="SweepJudgement.Choose"/>), this job ringed in blue.
/// Energy is the agents', else Slurm's; a run without either or without the metric is listed apart, never plotted at 0.
/// </summary>
internal static class JobTradeoff
{
    private const int MaxRuns = 2_000;

    public static void Render(StringBuilder b, JobRow job, IJobStore store, Viewer viewer, BehaviourRules rules)
    {
        var own = store.MetricsOfJobs([job.JobId]);
        if (own.Count == 0) return;
        b.Append("<h2>What it achieved</h2>");
        Html.Table(b, "Metrics this job reported", ["Metric", "Steps", "Last value", "Best value"], own.GroupBy(m => m.Point.Name, StringComparer.Ordinal).Select(g =>
        {
            var maximize = MetricDirection.Maximize(g.Key);
            var best = maximize is { } up ? Tradeoff.BestValue(g.Select(m => m.Point.Value), up) : null;
            return (IReadOnlyList<string>)[Html.E(g.Key), g.Count().ToString(CultureInfo.InvariantCulture), Html.Num(g.Last().Point.Value),
                best is { } v ? Html.Num(v) + (maximize == true ? " (highest)" : " (lowest)") : "— (which way is better is not known from its name)"];
        }));

        var query = viewer.Jobs(null, job.User) with { Limit = MaxRuns };
        var runs = job.ArrayJobId is { } array ? store.Jobs(query with { ArrayJobId = array }).ToList()
            : job.Fingerprint is { } fingerprint ? store.Jobs(query with { Fingerprint = fingerprint }).ToList() : [];
        if (runs.All(r => r.JobId != job.JobId)) runs.Add(job);
        // This job's points are read already: only the other runs' are asked for.
        var metrics = runs.Count > 1 ? [.. own, .. store.MetricsOfJobs([.. runs.Where(r => r.JobId != job.JobId).Select(r => r.JobId)])] : own;
        if (SweepJudgement.Choose(metrics, rules) is not { } chosen)
        {
            b.Append("<p class=\"muted\">No trade-off figure: none of these metrics is one whose better direction is known (accuracy, loss…; <code>[behaviours] sweep_metric</code> names another).</p>");
            return;
        }
        var result = SweepJudgement.Trade(runs.Select(r => (r.JobId, Kwh(r))), metrics, chosen.Name, chosen.Maximize);
        if (result.Points.Count == 0)
        {
            b.Append("<p class=\"muted\">No trade-off figure: no run has both a known energy and ").Append(Html.E(chosen.Name)).Append(".</p>");
            return;
        }
        var scope = job.ArrayJobId is { } a ? $"the {runs.Count} tasks of array {a}" : runs.Count > 1 ? $"the {runs.Count} runs of this script (same fingerprint)" : "this job alone";
        b.Append("<figure id=\"tradeoff-plot\">").Append(TradeoffSvg.Render(result, job.JobId)).Append("<figcaption>Energy against ").Append(Html.E(chosen.Name))
            .Append(" for ").Append(Html.E(scope)).Append("; the red line is the Pareto front, this job is ringed in blue. As <code>coca tradeoff</code>.</figcaption></figure>");
        Html.Table(b, "Runs of the figure", ["Run", "Energy", Html.E(chosen.Name), "On the front"], result.Points.Select(p => (IReadOnlyList<string>)
            [Html.E(p.Id) + (p.Id == job.JobId ? " (this job)" : ""), Html.Kwh(p.EnergyKwh), Html.Num(p.Value), result.Pareto.Contains(p.Id) ? "yes" : "no (dominated)"]));
        b.Append("<p>Dominated runs' energy: ").Append(Html.Kwh(result.DominatedKwh)).Append(" (the sweep's avoidable energy).");
        if (result.WithoutEnergy.Count + result.WithoutValue.Count > 0)
        {
            b.Append(" Not plotted: ").Append(result.WithoutEnergy.Count.ToString(CultureInfo.InvariantCulture)).Append(" run(s) without a known energy, ")
                .Append(result.WithoutValue.Count.ToString(CultureInfo.InvariantCulture)).Append(" without ").Append(Html.E(chosen.Name)).Append('.');
        }
        b.Append("</p>");
    }

    private static double? Kwh(JobRow r) => r.TotalUj is { } uj ? uj / 3.6e12 : r.SlurmEnergyJ / 3.6e6;
}
