using System.Xml.Linq;
using Coca.Core.Ingest;
using Coca.Server.Dashboard;

namespace Coca.Server.Tests.Dashboard;

/// <summary>The server's own charts and the series they draw: round ticks, well-formed SVG with its title and unit, power derived where none was sampled.</summary>
public sealed class SvgChartTests
{
    [Theory]
    [InlineData(0, 317, new double[] { 0, 100, 200, 300, 400 })]
    [InlineData(0, 0.42, new double[] { 0, 0.1, 0.2, 0.3, 0.4, 0.5 })]
    [InlineData(5, 5, new double[] { 5, 6, 7, 8, 9, 10 })]
    public void Ticks_are_round_and_cover_the_range(double min, double max, double[] expected) =>
        Assert.Equal(expected, SvgChart.Ticks(min, max));

    [Fact]
    public void Elapsed_time_ticks_at_clock_steps() => Assert.Equal([0, 300, 600, 900], SvgChart.SecondsTicks(0, 1140));

    [Fact]
    public void A_line_chart_is_well_formed_svg_with_title_unit_and_a_line_per_series()
    {
        var svg = SvgChart.Lines("p", "Power <per> device", "W", "time", [new("gpu & a", [(0, 100), (60, 250)]), new("b", [(0, 50), (60, 75)])], x => x.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("Power <per> device", doc.Root!.Element(ns + "title")!.Value);
        Assert.Equal(2, doc.Descendants(ns + "polyline").Count());
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "W");
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "gpu & a");
    }

    [Fact]
    public void Nothing_to_plot_says_so_instead_of_an_empty_chart() =>
        Assert.Contains("no figures to plot", SvgChart.Bars("b", "Energy", "kWh", [("2026-01", null)]));

    [Fact]
    public void Power_is_derived_from_the_energy_between_points_where_none_was_sampled_and_unknown_before_the_first()
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var points = JobSeries.Power(
        [
            new SeriesPoint("1", "n1", "gpu:a", t0, 0, null, null),
            new SeriesPoint("1", "n1", "gpu:a", t0.AddSeconds(10), 2_000_000_000, null, 0.5),
            new SeriesPoint("1", "n1", "gpu:a", t0.AddSeconds(20), 3_000_000_000, 180, 0.6),
        ]);
        Assert.Equal([null, 200.0, 180.0], points.Select(p => p.PowerW));
        Assert.Equal([false, true, false], points.Select(p => p.Derived));
    }
}
