using Coca.Core.Attribution.Offline;
using Coca.Core.Calibration;
using Coca.Core.Units;

namespace Coca.Core.Tests.Calibration;

public class GapCalibrationTests
{
    // A node whose wall power is known exactly: 80 W + 1.1 × (CPU + DRAM) + 1.05 × GPU.
    private static double Cpu(double t) => 120 + 60 * Math.Sin(t / 97.0);
    private static double Dram(double t) => 18 + 4 * Math.Cos(t / 41.0);
    private static double Gpu(double t) => 150 + 140 * Math.Sin(t / 173.0) * Math.Sin(t / 173.0) + ((int)(t / 400) % 2 == 0 ? 0 : 100);
    private static double Node(double t) => 80 + 1.1 * (Cpu(t) + Dram(t)) + 1.05 * Gpu(t);

    /// <summary>Cumulative counters read every <paramref name="step"/> s, integrated finely (as a hardware counter is).</summary>
    internal static RecordedSeries Counter(string node, string device, Func<double, double> watts, double from, double to, double step)
    {
        var points = new List<RecordedPoint>();
        var total = 0.0;
        for (var t = from; t <= to + 1e-9; t += step)
        {
            points.Add(new RecordedPoint(t, (long)Math.Round(total * 1e6), Provenance.Measured));
            for (var k = 0; k < 100; k++) total += watts(t + (k + 0.5) * step / 100) * step / 100;
        }
        return new RecordedSeries(node, device, points);
    }

    [Fact]
    public void A_known_gap_is_recovered_within_half_a_percentage_point_and_the_model_within_a_few_percent()
    {
        const double from = 1_777_636_800, to = from + 3600;
        var components = new List<RecordedSeries>
        {
            Counter("n1", "package-0", Cpu, from, to, 1),
            Counter("n1", "dram-0", Dram, from, to, 1),
            Counter("n1", "gpu0", Gpu, from, to, 1),
        };
        var meter = new PowerSeries(Enumerable.Range(0, 3601).Select(i => (from + i, Node(from + i))));

        var fit = Assert.Single(GapCalibration.Fit(new Dictionary<string, PowerSeries> { ["n1"] = meter }, components, 30));

        double nodeJ = 0, componentJ = 0;
        for (var t = from; t < to; t += 0.01)
        {
            nodeJ += Node(t + 0.005) * 0.01;
            componentJ += (Cpu(t + 0.005) + Dram(t + 0.005) + Gpu(t + 0.005)) * 0.01;
        }
        var trueGap = (nodeJ - componentJ) / nodeJ * 100;
        Assert.Equal(120, fit.Samples);
        Assert.InRange(fit.GapPct!.Value, trueGap - 0.5, trueGap + 0.5);
        Assert.InRange(fit.InterceptW!.Value, 76, 84);
        Assert.InRange(fit.Cpu!.Value, 1.07, 1.13);
        Assert.InRange(fit.Gpu!.Value, 1.03, 1.07);
        Assert.True(fit.R2 > 0.99);
        Assert.True(fit.MapePct < 1);
    }

    [Fact]
    public void A_node_without_gpus_has_an_unknown_gpu_coefficient_not_zero()
    {
        const double from = 1000, to = 2000;
        var components = new List<RecordedSeries> { Counter("n2", "package-0", Cpu, from, to, 1) };
        var meter = new PowerSeries(Enumerable.Range(0, 1001).Select(i => (from + i, 50 + 1.2 * Cpu(from + i))));
        var fit = Assert.Single(GapCalibration.Fit(new Dictionary<string, PowerSeries> { ["n2"] = meter }, components, 10));
        Assert.Null(fit.Gpu);
        Assert.InRange(fit.Cpu!.Value, 1.18, 1.22);
    }

    [Fact]
    public void Intervals_the_meter_does_not_cover_are_left_out()
    {
        const double from = 0, to = 600;
        var components = new List<RecordedSeries> { Counter("n3", "package-0", Cpu, from, to, 1) };
        // The logger stopped for two minutes in the middle: those intervals are not paired.
        var meter = new PowerSeries(Enumerable.Range(0, 601).Where(i => i < 200 || i > 320).Select(i => (from + i, 2 * Cpu(from + i))));
        var fit = Assert.Single(GapCalibration.Fit(new Dictionary<string, PowerSeries> { ["n3"] = meter }, components, 30));
        Assert.Equal(20 - 5, fit.Samples);
        Assert.InRange(fit.GapPct!.Value, 49.5, 50.5);
    }

    [Fact]
    public void A_node_with_no_paired_interval_has_unknown_figures()
    {
        var meter = new PowerSeries([(0, 100), (1, 100)]);
        var fit = Assert.Single(GapCalibration.Fit(new Dictionary<string, PowerSeries> { ["lonely"] = meter }, [], 30));
        Assert.Equal(0, fit.Samples);
        Assert.Null(fit.GapPct);
        Assert.Null(fit.InterceptW);
    }
}
