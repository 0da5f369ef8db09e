using Coca.Core.Metrics;

namespace Coca.Core.Analysis;

/// <summary>
/// What a sweep's runs achieved, as its finding uses it: one metric (the configured <see cref="BehaviourRules.SweepMetric"/>,
/// else the well-known one, by <see cref="MetricDirection"/>, that the most runs reported; ties by name), each run's best
/// value of it, and the trade-off of energy against it. The dominated runs (<see cref="TradeoffResult.DominatedKwh"/>)
/// are the sweep's avoidable energy. Null when fewer than two runs have both an energy and the metric.
/// </summary>
public sealed record SweepJudgement(string Metric, bool Maximize, TradeoffResult Result, IReadOnlyList<string> Dominated)
{
    public static SweepJudgement? Of(IReadOnlyList<AnalysisJob> runs, IReadOnlyList<JobMetric> metrics, BehaviourRules rules)
    {
        if (Choose(metrics, rules) is not { } chosen) return null;
        var (name, maximize) = chosen;
        var result = Trade(runs.Select(r => (r.JobId, r.EnergyJ / 3.6e6)), metrics, name, maximize);
        if (result.Points.Count < 2) return null;
        var front = result.Pareto.ToHashSet(StringComparer.Ordinal);
        return new SweepJudgement(name, maximize, result, [.. result.Points.Where(p => !front.Contains(p.Id)).Select(p => p.Id)]);
    }

    /// <summary>The trade-off of <paramref name="runs"/> (id, energy in kWh) against the metric <paramref name="name"/>: each run's best value of it.</summary>
    public static TradeoffResult Trade(IEnumerable<(string Id, double? Kwh)> runs, IReadOnlyList<JobMetric> metrics, string name, bool maximize)
    {
        var values = metrics.Where(m => m.Point.Name == name).GroupBy(m => m.JobId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Tradeoff.BestValue(g.Select(m => m.Point.Value), maximize), StringComparer.Ordinal);
        return Tradeoff.Compute(name, runs.Select(r => new TradeoffInput(r.Id, r.Kwh, values.GetValueOrDefault(r.Id))), maximize);
    }

    /// <summary>
    /// The metric runs are judged by and whether larger is better: the configured one, else the well-known one the most
    /// runs reported (ties by name); null when neither applies.
    /// </summary>
    public static (string Name, bool Maximize)? Choose(IReadOnlyList<JobMetric> metrics, BehaviourRules rules)
    {
        if (rules.SweepMetric is { } configured)
            return (rules.SweepMetricMaximize ?? MetricDirection.Maximize(configured)) is { } direction ? (configured, direction) : null;
        var name = metrics.GroupBy(m => m.Point.Name, StringComparer.Ordinal)
            .Where(g => MetricDirection.Maximize(g.Key) is not null)
            .OrderByDescending(g => g.Select(m => m.JobId).Distinct(StringComparer.Ordinal).Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
        return name is null ? null : (name, MetricDirection.Maximize(name)!.Value);
    }
}
