using System.Globalization;
using Coca.Core.Analysis;
using ScottPlot;

namespace Coca.Commands.Site.Output;

/// <summary>
/// The trade-off as a PNG, the same figure as <see cref="TradeoffSvg"/>: energy (kWh) across, the metric up, every run
/// a labelled dot, the Pareto front a red line through its runs, the best run ringed, the marginal step in a note.
/// </summary>
internal static class TradeoffPng
{
    public const int Width = 720, Height = 480;
    private static readonly Color Front = Color.FromHex("#d62728");

    public static byte[] Render(TradeoffResult r)
    {
        var plot = PngFigure.New();
        plot.Title($"{r.Metric} against energy ({(r.Maximize ? "higher" : "lower")} is better): {r.Points.Count} runs, {r.Pareto.Count} on the front");
        plot.XLabel("energy (kWh)");
        plot.YLabel(r.Metric);

        var dominated = r.Points.Where(p => !r.Pareto.Contains(p.Id)).ToList();
        if (dominated.Count > 0)
        {
            var grey = plot.Add.ScatterPoints(dominated.Select(p => p.EnergyKwh).ToArray(), dominated.Select(p => p.Value).ToArray());
            grey.Color = Colors.Gray;
            grey.MarkerSize = 8;
            grey.LegendText = "dominated";
        }
        var front = r.Pareto.Select(id => r.Points.First(p => p.Id == id)).ToList();
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(p => p.EnergyKwh).ToArray(), front.Select(p => p.Value).ToArray());
            line.Color = Front;
            line.LineWidth = 2;
            line.MarkerSize = 10;
            line.LegendText = "Pareto front";
        }
        if (r.Best is { } best && r.Points.FirstOrDefault(p => p.Id == best) is { } b)
        {
            var ring = plot.Add.Marker(b.EnergyKwh, b.Value);
            ring.MarkerShape = MarkerShape.OpenCircle;
            ring.MarkerSize = 24;
            ring.MarkerLineWidth = 2;
            ring.Color = Front;
            ring.LegendText = "best";
        }
        foreach (var p in r.Points)
        {
            var label = plot.Add.Text(p.Id, p.EnergyKwh, p.Value);
            label.LabelFontSize = 11;
            label.LabelFontColor = Color.FromHex("#444444");
            label.OffsetX = 7;
            label.OffsetY = -6;
        }
        if (r.Marginal is { } m)
        {
            var note = plot.Add.Annotation(string.Create(CultureInfo.InvariantCulture,
                $"best {m.To}: +{m.DeltaValue:0.###} {r.Metric} over {m.From} for +{m.DeltaKwh:0.###} kWh ({m.ShareOfEnergy * 100:0.#} % of these runs' energy)"), Alignment.UpperLeft);
            note.LabelBackgroundColor = Colors.White;
            note.LabelFontColor = Front;
        }
        // A single run or equal values still get a visible range, as the SVG's axes do.
        if (r.Points.Count > 0 && r.Points.Select(p => p.EnergyKwh).Distinct().Count() == 1) plot.Axes.SetLimitsX(r.Points[0].EnergyKwh - 0.5, r.Points[0].EnergyKwh + 0.5);
        if (r.Points.Count > 0 && r.Points.Select(p => p.Value).Distinct().Count() == 1) plot.Axes.SetLimitsY(r.Points[0].Value - 0.5, r.Points[0].Value + 0.5);
        plot.ShowLegend(Alignment.LowerRight);
        return PngFigure.Encode(plot, Width, Height);
    }
}
