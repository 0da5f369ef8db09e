using Coca.Core.Analysis;
using Coca.Core.Metrics;
using static Coca.Core.Tests.Analysis.Jobs;

namespace Coca.Core.Tests.Analysis;

/// <summary>A sweep's avoidable energy from its runs' metrics: the dominated runs' energy, or unknown without metrics.</summary>
public sealed class SweepJudgementTests
{
    // Ten runs of one script, 1 … 10 kWh, one a minute. Accuracy by run: the front is runs 0, 2, 5 and 9; the other six
    // (2 + 4 + 5 + 7 + 8 + 9 = 35 kWh) are beaten by a cheaper run.
    private static readonly double[] Accuracy = [0.5, 0.45, 0.7, 0.6, 0.65, 0.8, 0.75, 0.7, 0.79, 0.85];
    private static readonly List<AnalysisJob> Runs = [.. Enumerable.Range(0, 10).Select(i => Job($"{i}", energyKwh: i + 1, timeMs: i * 60_000L))];

    private static IReadOnlyList<JobMetric> Planted(IReadOnlyList<string> ids) =>
    [
        .. ids.SelectMany(id => new[]
        {
            // An earlier, worse value at step 0: each run counts with its best.
            new JobMetric(id, new MetricPoint("accuracy", 0.1, 0, null)),
            new JobMetric(id, new MetricPoint("accuracy", Accuracy[int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)], 1, null)),
            new JobMetric(id, new MetricPoint("epoch_seconds", 100, 1, null)), // no direction: never the one chosen
        }),
    ];

    private static (List<Finding> Findings, BehaviourSummary Summary) Analyse(Func<IReadOnlyList<string>, IReadOnlyList<JobMetric>>? metricsOf, BehaviourRules? rules = null)
    {
        var found = new List<Finding>();
        var analysis = new BehaviourAnalysis(rules ?? BehaviourRules.Defaults, Jobs.Carbon, found.Add, metricsOf: metricsOf);
        foreach (var j in Runs) analysis.Add(j);
        return (found, analysis.Finish());
    }

    [Fact]
    public void A_sweep_with_metrics_wastes_the_energy_of_its_dominated_runs_and_says_which()
    {
        var (findings, summary) = Analyse(Planted);
        var sweep = Assert.Single(findings, f => f.Kind == BehaviourKind.Sweep);
        Assert.Equal(35.0, sweep.WastedKwh!.Value, 9);
        Assert.Equal(3500.0, sweep.WastedEmissionsG!.Value, 6);
        Assert.Equal(("accuracy", "maximize"), ((string)sweep.Detail("metric")!, (string)sweep.Detail("direction")!));
        Assert.Equal(("0,2,5,9", "1,3,4,6,7,8", 10L), ((string)sweep.Detail("pareto_runs")!, (string)sweep.Detail("dominated_runs")!, (long)sweep.Detail("runs_with_metric")!));
        Assert.Contains("accuracy (maximize)", (string)sweep.Detail("wasted")!, StringComparison.Ordinal);
        Assert.Equal(35.0, summary.WastedKwh!.Value, 9);
    }

    [Fact]
    public void Without_metrics_the_sweeps_waste_stays_unknown()
    {
        var sweep = Assert.Single(Analyse(_ => []).Findings, f => f.Kind == BehaviourKind.Sweep);
        Assert.Null(sweep.WastedKwh);
        Assert.Null(sweep.Detail("metric"));
        Assert.StartsWith("unknown", (string)sweep.Detail("wasted")!, StringComparison.Ordinal);
        Assert.Null(Analyse(null).Summary.WastedKwh);
    }

    [Fact]
    public void A_loss_is_minimized_and_runs_without_the_metric_are_neither_dominated_nor_counted()
    {
        // Loss falls with energy for runs 0-4; runs 5-9 reported nothing.
        IReadOnlyList<JobMetric> Loss(IReadOnlyList<string> ids) =>
            [.. ids.Where(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture) < 5)
                .Select(id => new JobMetric(id, new MetricPoint("val_loss", id == "3" ? 9 : 5 - int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), 1, null)))];
        var sweep = Assert.Single(Analyse(Loss).Findings, f => f.Kind == BehaviourKind.Sweep);
        Assert.Equal(("val_loss", "minimize", "3"), ((string)sweep.Detail("metric")!, (string)sweep.Detail("direction")!, (string)sweep.Detail("dominated_runs")!));
        Assert.Equal(4.0, sweep.WastedKwh!.Value, 9);
        Assert.Equal(5L, (long)sweep.Detail("runs_with_metric")!);
    }

    [Fact]
    public void The_configured_metric_and_direction_win_over_the_well_known_one()
    {
        var rules = BehaviourRules.Defaults with { SweepMetric = "epoch_seconds", SweepMetricMaximize = false };
        var sweep = Assert.Single(Analyse(Planted, rules).Findings, f => f.Kind == BehaviourKind.Sweep);
        // Every run took 100 s: the cheapest is as good as all the others, which it dominates.
        Assert.Equal(("epoch_seconds", "minimize", "0"), ((string)sweep.Detail("metric")!, (string)sweep.Detail("direction")!, (string)sweep.Detail("pareto_runs")!));
        Assert.Equal(54.0, sweep.WastedKwh!.Value, 9);
    }

    [Theory]
    [InlineData("accuracy", true)]
    [InlineData("eval/val_Accuracy", true)]
    [InlineData("test_f1", true)]
    [InlineData("train_loss", false)]
    [InlineData("valid_wer", false)]
    [InlineData("perplexity", false)]
    [InlineData("epoch_seconds", null)]
    [InlineData("val_", null)]
    public void A_well_known_names_direction_comes_from_the_name(string name, bool? maximize) => Assert.Equal(maximize, MetricDirection.Maximize(name));
}
