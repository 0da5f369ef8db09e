using Coca.Core.Feedback;
using ScottPlot;

namespace Coca.Commands.Site.Output;

/// <summary>
/// The digest's energy per day as a PNG, sent inline with the HTML part: a bar per day with a figure, a grey dash on
/// a day without one (unknown is not zero), the days named under their bars, kWh up.
/// </summary>
internal static class DigestPlotPng
{
    public static byte[] Render(DigestModel d)
    {
        var plot = PngFigure.New();
        var bars = new List<Bar>();
        for (var i = 0; i < d.KwhPerDay.Count; i++)
        {
            if (d.KwhPerDay[i] is { } kwh) bars.Add(new Bar { Position = i, Value = kwh, FillColor = Color.FromHex("#2a7ab0"), LineWidth = 0 });
            else
            {
                var dash = plot.Add.Marker(i, 0);
                dash.MarkerShape = MarkerShape.HorizontalBar;
                dash.MarkerSize = 24;
                dash.MarkerLineWidth = 2;
                dash.Color = Color.FromHex("#bbbbbb");
            }
        }
        plot.Add.Bars(bars);
        var positions = Enumerable.Range(0, d.KwhPerDay.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. positions.Select(p => d.From.AddDays((int)p).ToString("ddd", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Axes.Margins(bottom: 0);
        // A week without any figure still gets an axis from 0, not ScottPlot's unit range around nothing.
        if (bars.Count == 0 || bars.All(b => b.Value <= 0)) plot.Axes.SetLimitsY(0, 1);
        plot.YLabel("kWh");
        return PngFigure.Encode(plot, DigestRender.PlotWidth, DigestRender.PlotHeight);
    }
}
