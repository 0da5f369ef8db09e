namespace Coca.Core.Analysis;

/// <summary>One run of a comparison: its energy (kWh) and its best value of the metric; either may be unknown.</summary>
public sealed record TradeoffInput(string Id, double? EnergyKwh, double? Value);

/// <summary>A run with both figures: a point of the plot.</summary>
public sealed record TradeoffPoint(string Id, double EnergyKwh, double Value);

/// <summary>
/// What the best run's lead over the runner-up on the front cost: from the front's second-best to its best,
/// <see cref="DeltaValue"/> more of the metric (in its direction: positive is better) for <see cref="DeltaKwh"/> more
/// energy, <see cref="ShareOfEnergy"/> of the energy of all the points.
/// </summary>
public sealed record TradeoffMarginal(string From, string To, double DeltaValue, double DeltaKwh, double ShareOfEnergy);

/// <summary>
/// The energy-vs-metric trade-off of some runs: the points, the Pareto front (no other run is at least as good in
/// both and better in one), ids in order of energy; the best run; the marginal cost at the top (null with fewer than
/// two runs on the front). Runs lacking a figure are left out and counted, never taken as 0.
/// </summary>
public sealed record TradeoffResult(
    string Metric,
    bool Maximize,
    IReadOnlyList<TradeoffPoint> Points,
    IReadOnlyList<string> Pareto,
    string? Best,
    TradeoffMarginal? Marginal,
    IReadOnlyList<string> WithoutEnergy,
    IReadOnlyList<string> WithoutValue)
{
    /// <summary>Energy of the runs that are dominated: what a sweep could have saved, knowing the front (kWh).</summary>
    public double DominatedKwh => Points.Where(p => !Pareto.Contains(p.Id)).Sum(p => p.EnergyKwh);
}

/// <summary>The Pareto front and marginal cost of runs' energy against a metric: pure, for `coca tradeoff` and the findings.</summary>
public static class Tradeoff
{
    public static TradeoffResult Compute(string metric, IEnumerable<TradeoffInput> runs, bool maximize = true)
    {
        var points = new List<TradeoffPoint>();
        var withoutEnergy = new List<string>();
        var withoutValue = new List<string>();
        foreach (var r in runs)
        {
            if (r.EnergyKwh is not { } e || !double.IsFinite(e) || e < 0) withoutEnergy.Add(r.Id);
            else if (r.Value is not { } v || !double.IsFinite(v)) withoutValue.Add(r.Id);
            else points.Add(new TradeoffPoint(r.Id, e, v));
        }

        // "Better" is larger after the sign flip, so one comparison serves both directions.
        var sign = maximize ? 1.0 : -1.0;
        // Cheapest first, best value first among equals: then a point is on the front exactly when it beats every
        // point before it, and of two identical points the first (by id) is kept, the other dominated.
        var ordered = points.OrderBy(p => p.EnergyKwh).ThenByDescending(p => sign * p.Value).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        var front = new List<TradeoffPoint>();
        foreach (var p in ordered)
        {
            if (front.Count == 0 || sign * p.Value > sign * front[^1].Value) front.Add(p);
        }

        var best = front.Count > 0 ? front[^1] : null;
        TradeoffMarginal? marginal = null;
        if (front.Count >= 2)
        {
            var from = front[^2];
            var total = points.Sum(p => p.EnergyKwh);
            var deltaKwh = best!.EnergyKwh - from.EnergyKwh;
            marginal = new TradeoffMarginal(from.Id, best.Id, sign * (best.Value - from.Value), deltaKwh, total > 0 ? deltaKwh / total : 0);
        }
        return new TradeoffResult(metric, maximize, points, front.Select(p => p.Id).ToList(), best?.Id, marginal, withoutEnergy, withoutValue);
    }

    /// <summary>A run's best value of the metric among its reports: the largest when maximizing, else the smallest.</summary>
    public static double? BestValue(IEnumerable<double> values, bool maximize)
    {
        double? best = null;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            if (best is null || (maximize ? v > best : v < best)) best = v;
        }
        return best;
    }
}
