using Coca.Core.Attribution;
using Coca.Core.Calibration;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Core.Tests.Attribution;

/// <summary>
/// A node without a meter, given the model calibrated on a metered node of its type: the model stands in for the meter,
/// its other is derived and labelled with the calibration, charged by the same rule, and the books balance to the µJ.
/// </summary>
public class NodeModelAttributionTests
{
    private static readonly DeviceInfo[] Devices =
    [
        new("package-0", ComponentKind.Cpu, true, "rapl", "pkg") { CounterUnitUj = 1, MaxPowerW = 400 },
        new("dram-0", ComponentKind.Dram, true, "rapl", "dram") { CounterUnitUj = 1, MaxPowerW = 100 },
        new("gpu:A", ComponentKind.Gpu, true, "nvml", "A") { CounterUnitUj = 1000, MaxPowerW = 700 },
    ];

    private static readonly NodeModel Model = new("calibration n51", InterceptW: 90, Cpu: 1.2, Gpu: 1.05, MapePct: 2.5);

    private static DeviceSample[] At(long cpu, long dram, long gpu)
    {
        var s = new DeviceSample[3];
        long[] values = [cpu, dram, gpu];
        for (var i = 0; i < 3; i++)
        {
            s[i] = DeviceSample.Empty;
            s[i].EnergyUj = values[i];
            s[i].RawCounter = (ulong)values[i];
            s[i].State = DeviceState.Ok;
            s[i].Provenance = Provenance.Measured;
            s[i].Utilisation = 0.5;
        }
        return s;
    }

    [Fact]
    public void The_model_gives_other_to_the_job_derived_and_labelled_and_the_books_balance()
    {
        var books = new Books { Node = "n52" };
        var engine = new AttributionEngine(Devices, books, OtherRule.Proportional, Model);
        Holder[] jobs = [new("7", "ada", 0, double.PositiveInfinity, ["gpu:A"], [2], 1.0, "recorded")];
        engine.Tick(0, At(0, 0, 0), jobs);
        // Two seconds: CPU 200 J, DRAM 40 J, GPU 600 J. The model: 90 W × 2 s + 1.2 × 240 J + 1.05 × 600 J = 1,098 J; other 258 J.
        engine.Tick(2, At(200_000_000, 40_000_000, 600_000_000), jobs);

        Assert.True(engine.UsesModel);
        Assert.Equal(258_000_000, engine.NodeMeter!.OtherUj);
        Assert.Equal("model:calibration n51", engine.NodeMeter.Device);
        var job = books.Jobs["7"].Energy;
        Assert.Equal(258_000_000, job[ComponentKind.Other].Microjoules); // the only job, holding the whole CPU share
        Assert.Equal(Provenance.Derived, job.ProvenanceOf(ComponentKind.Other));
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void A_node_with_its_own_meter_ignores_the_model()
    {
        DeviceInfo[] metered = [.. Devices, new("node:redfish", ComponentKind.Other, false, "redfish", "BMC") { NodeTotal = true }];
        var engine = new AttributionEngine(metered, new Books { Node = "n51" }, OtherRule.Proportional, Model);
        Assert.False(engine.UsesModel);
        Assert.Equal("node:redfish", engine.NodeMeter!.Device);
    }

    [Theory]
    [InlineData(null, 1.1, 1.0)]     // no intercept: no model
    [InlineData(50.0, -0.2, 1.0)]    // a negative coefficient is no node's power
    [InlineData(double.NaN, 1.0, 1.0)]
    public void A_calibration_without_a_usable_model_gives_none_and_says_why(double? intercept, double cpu, double gpu)
    {
        var calibration = new NodeCalibration("n51", 10, 1000, 900, 10, 0.9, 3, intercept, cpu, gpu);
        Assert.Null(NodeModel.From(calibration, out var reason));
        Assert.StartsWith("node n51:", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calibration_without_a_gpu_coefficient_counts_gpus_as_themselves()
    {
        var model = NodeModel.From(new NodeCalibration("n51", 10, 1000, 900, 10, 0.9, 3, 80, 1.1, null), out _)!;
        Assert.Equal(1, model.Gpu);
        Assert.Equal(80_000_000 + 110_000_000 + 50_000_000, model.NodeUj(1, 100_000_000, 50_000_000));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(5000.0)]
    public void A_calibration_whose_mean_error_is_no_percentage_gives_no_model(double mape)
    {
        Assert.Null(NodeModel.From(new NodeCalibration("n51", 10, 1000, 900, 10, 0.9, mape, 80, 1.1, 1), out var reason));
        Assert.Contains("mape_pct", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_models_mean_error_reaches_the_books_where_the_reports_read_it()
    {
        var model = NodeModel.From(new NodeCalibration("n51", 10, 1000, 900, 10, 0.9, 4.2, 80, 1.1, 1), out _)!;
        var engine = new AttributionEngine([], new Books { Node = "n52" }, OtherRule.Equal, model);
        Assert.Equal(new OtherCharge("equal", "model:calibration n51", 4.2), OtherCharge.Of(engine.NodeMeter));
    }
}
