using Coca.Core.Carbon;
using Coca.Core.Ingest;

namespace Coca.Core.Tests.Carbon;

public class OperationalEmissionsTests
{
    private static readonly DateTimeOffset Day = new(2025, 3, 4, 0, 0, 0, TimeSpan.Zero);

    private static long Ms(double hours) => Day.AddHours(hours).ToUnixTimeMilliseconds();

    private static IntensitySeries Hourly(params (double Hour, double G)[] points) =>
        new(points.Select(p => new IntensityPoint(Day.AddHours(p.Hour), p.G)), stepMs: 3_600_000);

    [Fact]
    public void A_job_across_three_hours_meets_each_hour_s_figure_in_proportion_to_its_time_there()
    {
        // 2 kWh from 10:30 to 12:30: 0.5 kWh × 100 + 1 kWh × 50 + 0.5 kWh × 200 = 200 g, × PUE 1.5 = 300 g.
        var series = Hourly((9, 80), (10, 100), (11, 50), (12, 200), (13, 90));
        var figure = OperationalEmissions.Compute(EnergyTimeline.Uniform(Ms(10.5), Ms(12.5), 2.0), series, 400, 1.5, "FR", "direct");
        Assert.Equal(300, figure.Grams, 9);
        Assert.Equal(CarbonMethods.Hourly, figure.Method);
        Assert.Equal(1.0, figure.SeriesCoverage, 12);
        Assert.Equal(100, figure.EffectiveGramsPerKwh, 9);
        Assert.False(figure.EnergyFromSeries);
    }

    [Fact]
    public void A_missing_hour_is_filled_with_the_yearly_figure_and_lowers_the_coverage()
    {
        // 11:00 missing: 0.5 × 100 + 1 × 60 (yearly) + 0.5 × 200 = 210 g; half the energy met an hourly figure.
        var series = Hourly((9, 80), (10, 100), (12, 200), (13, 90));
        var figure = OperationalEmissions.Compute(EnergyTimeline.Uniform(Ms(10.5), Ms(12.5), 2.0), series, 60, 1.0);
        Assert.Equal(210, figure.Grams, 9);
        Assert.Equal(0.5, figure.SeriesCoverage, 12);
    }

    [Fact]
    public void A_job_outside_the_series_is_yearly()
    {
        var series = Hourly((0, 10), (1, 10));
        var figure = OperationalEmissions.Compute(EnergyTimeline.Uniform(Ms(5), Ms(6), 3.0), series, 57, 1.2);
        Assert.Equal(3.0 * 57 * 1.2, figure.Grams, 9);
        Assert.Equal(CarbonMethods.Yearly, figure.Method);
        Assert.Equal(0, figure.SeriesCoverage);
    }

    [Fact]
    public void Without_a_series_it_is_energy_times_pue_times_the_yearly_figure()
    {
        var figure = OperationalEmissions.Compute(EnergyTimeline.Uniform(Ms(0), Ms(2), 433_196), null, 57, 1.0);
        Assert.Equal(24.69, figure.Grams / 1e6, 2);
        Assert.Equal(CarbonMethods.Yearly, figure.Method);
    }

    [Fact]
    public void The_job_s_series_places_its_energy_and_the_rest_is_spread_over_the_run()
    {
        // The GPU drew 1 kWh by 11:00 and nothing after; the job's 1.5 kWh total leaves 0.5 kWh spread from 10:30 to 12:30:
        // 1 × 100 + (0.125 × 100 + 0.25 × 50 + 0.125 × 200) = 150 g.
        var series = Hourly((9, 80), (10, 100), (11, 50), (12, 200), (13, 90));
        SeriesPoint Point(double hour, long uj) => new("7", "gpu01", "gpu:GPU-1", Day.AddHours(hour), uj, null, null);
        var timeline = EnergyTimeline.Of(Ms(10.5), Ms(12.5), 1.5, [Point(11, 3_600_000_000_000), Point(12, 3_600_000_000_000)]);
        var figure = OperationalEmissions.Compute(timeline, series, 400, 1.0);
        Assert.True(figure.EnergyFromSeries);
        Assert.Equal(150, figure.Grams, 6);
    }

    [Fact]
    public void A_point_is_in_force_for_one_step_only()
    {
        var series = new IntensitySeries([new IntensityPoint(Day, 10), new IntensityPoint(Day.AddMinutes(15), 20), new IntensityPoint(Day.AddHours(1), 30)]);
        Assert.Equal(15 * 60_000, series.StepMs);
        Assert.Equal(20, series.At(Day.AddMinutes(20)));
        Assert.Null(series.At(Day.AddMinutes(40)));
        Assert.Equal(30, series.At(Day.AddMinutes(70)));
        Assert.Null(series.At(Day.AddMinutes(80)));
    }
}
