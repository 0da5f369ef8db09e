using Coca.Core.Attribution;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Core.Tests.Attribution;

/// <summary>
/// The engine with a node meter: other = node − (CPU + DRAM + GPU) per tick, never negative, charged by the rule, and
/// conservation against the meter to the microjoule: meter = covered components + other − deficit.
/// </summary>
public class NodeMeterAttributionTests
{
    private static readonly DeviceInfo[] Devices =
    [
        new("package-0", ComponentKind.Cpu, true, "rapl", "pkg") { CounterUnitUj = 1, MaxPowerW = 400 },
        new("dram-0", ComponentKind.Dram, true, "rapl", "dram") { CounterUnitUj = 1, MaxPowerW = 100 },
        new("gpu:A", ComponentKind.Gpu, true, "nvml", "A") { CounterUnitUj = 1000, MaxPowerW = 700 },
        new("node:redfish", ComponentKind.Other, false, "redfish", "BMC") { NodeTotal = true },
    ];

    /// <summary>Samples of cumulative µJ [package, dram, gpu, node]; a negative node figure: the meter is unreadable.</summary>
    private static DeviceSample[] At(long cpu, long dram, long gpu, long node, Provenance meter = Provenance.Derived)
    {
        var s = new DeviceSample[4];
        long[] values = [cpu, dram, gpu, node];
        for (var i = 0; i < 4; i++)
        {
            s[i] = DeviceSample.Empty;
            s[i].EnergyUj = Math.Max(0, values[i]);
            s[i].State = values[i] < 0 ? DeviceState.Unreadable : DeviceState.Ok;
            s[i].Provenance = i == 3 ? meter : Provenance.Measured;
            s[i].RawCounter = (ulong)Math.Max(0, values[i]);
            s[i].Utilisation = 0.5;
        }
        return s;
    }

    private static Holder GpuJob(string id = "gpu-job") => new(id, "u", 0, double.PositiveInfinity, ["gpu:A"], [2], 0.25, "recorded");
    private static Holder CpuJob(string id = "cpu-job", double share = 0.5) => new(id, "u", 0, double.PositiveInfinity, [], [], share, "recorded");

    private static long OtherPlaced(Books b)
    {
        var other = b.Idle[ComponentKind.Other].Microjoules + b.Unattributed[ComponentKind.Other].Microjoules + b.Retired[ComponentKind.Other].Microjoules;
        foreach (var j in b.Jobs.Values) other += j.Energy[ComponentKind.Other].Microjoules;
        return other;
    }

    [Fact]
    public void Other_is_the_node_minus_the_components_and_goes_by_each_jobs_draw_in_the_window()
    {
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books);
        Holder[] jobs = [GpuJob(), CpuJob()];
        engine.Tick(0, At(0, 0, 0, 0), jobs);
        // One second: CPU 200 J, DRAM 20 J, GPU 300 J; the node 600 J: 80 J of other.
        engine.Tick(1, At(200_000_000, 20_000_000, 300_000_000, 600_000_000), jobs);

        Assert.Equal(0, engine.Residual());
        Assert.Equal(80_000_000, engine.NodeMeter!.OtherUj);
        // gpu-job drew 50 + 5 + 300 = 355 J, cpu-job 110 J, idle (the rest of the package and DRAM) 55 J: of 520 J.
        Assert.Equal(Math.Round(80e6 * 355 / 520), books.Jobs["gpu-job"].Energy[ComponentKind.Other].Microjoules, 1);
        Assert.Equal(Math.Round(80e6 * 110 / 520), books.Jobs["cpu-job"].Energy[ComponentKind.Other].Microjoules, 1);
        Assert.Equal(80_000_000, OtherPlaced(books));
        Assert.Equal(Provenance.Derived, books.Jobs["gpu-job"].Energy.ProvenanceOf(ComponentKind.Other));
    }

    [Fact]
    public void With_no_job_other_goes_to_idle()
    {
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books);
        engine.Tick(0, At(0, 0, 0, 0), []);
        engine.Tick(1, At(100_000_000, 10_000_000, 50_000_000, 200_000_000), []);
        Assert.Equal(40_000_000, books.Idle[ComponentKind.Other].Microjoules);
        Assert.Equal(0, engine.Residual());
    }

    [Fact]
    public void A_negative_residual_is_counted_not_charged_and_made_up_before_the_next_other()
    {
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books);
        Holder[] jobs = [GpuJob()];
        engine.Tick(0, At(0, 0, 0, 0), jobs);
        engine.Tick(1, At(100_000_000, 0, 300_000_000, 350_000_000), jobs); // the meter lags: 50 J short
        Assert.Equal(0, OtherPlaced(books));
        Assert.Equal((1L, 50_000_000L), (engine.NodeMeter!.NegativeIntervals, engine.NodeMeter.DeficitUj));
        engine.Tick(2, At(200_000_000, 0, 600_000_000, 900_000_000), jobs); // 550 J for 400 J: 150 J, less the 50 J owed
        Assert.Equal(100_000_000, OtherPlaced(books));
        Assert.Equal(0, engine.NodeMeter.DeficitUj);
        Assert.Equal(0, engine.Residual());
    }

    [Theory]
    [InlineData(OtherRule.Equal, 50_000_000, 50_000_000)]
    [InlineData(OtherRule.Cores, 25_000_000, 50_000_000)]
    public void The_equal_and_cores_rules(OtherRule rule, long gpuJob, long cpuJob)
    {
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books, rule);
        Holder[] jobs = [GpuJob(), CpuJob()];
        engine.Tick(0, At(0, 0, 0, 0), jobs);
        engine.Tick(1, At(100_000_000, 0, 100_000_000, 300_000_000), jobs);
        Assert.Equal(gpuJob, books.Jobs["gpu-job"].Energy[ComponentKind.Other].Microjoules);
        Assert.Equal(cpuJob, books.Jobs["cpu-job"].Energy[ComponentKind.Other].Microjoules);
        Assert.Equal(100_000_000 - gpuJob - cpuJob, books.Idle[ComponentKind.Other].Microjoules);
        Assert.Equal(rule.ToWire(), engine.NodeMeter!.Rule);
    }

    [Fact]
    public void Ticks_the_meter_misses_are_compared_at_its_next_counter_reading()
    {
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books);
        engine.Tick(0, At(0, 0, 0, 0, Provenance.Measured), []);
        engine.Tick(1, At(100_000_000, 0, 0, -1, Provenance.Measured), []);
        engine.Tick(2, At(200_000_000, 0, 0, 260_000_000, Provenance.Measured), []); // its step spans both ticks
        Assert.Equal(60_000_000, engine.NodeMeter!.OtherUj);
        Assert.Equal(0, engine.NodeMeter.NegativeIntervals);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Conservation_holds_against_the_node_meter_to_the_microjoule(int seed, bool counterMeter)
    {
        var random = new Random(seed);
        var books = new Books { Node = "n" };
        var engine = new AttributionEngine(Devices, books, (OtherRule)(seed % 3));
        long cpu = 0, dram = 0, gpu = 0;
        double trueNode = 0;
        var meter = new NodeMeterIntegrator(180);
        MeterReading? reading = null;
        var holders = new List<Holder>();
        Holder[] list = [];
        engine.Tick(0, At(0, 0, 0, -1), list);
        for (var t = 1; t <= 1800; t++)
        {
            var (c, d, g) = (random.Next(50, 300), random.Next(5, 30), random.Next(0, 650));
            cpu += c * 1_000_000L;
            dram += d * 1_000_000L;
            gpu += g * 1000L * 1000;
            trueNode += c + d + g + random.Next(40, 160);
            // A BMC refreshed once a minute with the last minute's average (a lagging power), or an energy counter in whole kJ.
            if (t % 60 == 7) reading = counterMeter ? new MeterReading(t, null, Math.Floor(trueNode / 1000) * 1000) : new MeterReading(t, trueNode / t, null);
            var readable = random.NextDouble() > 0.02 && meter.Advance(t, reading, out _);
            if (t % 200 == 0) holders.Add(random.Next(2) == 0 ? GpuJob($"g{t}") : CpuJob($"c{t}", random.NextDouble() < 0.2 ? double.NaN : random.NextDouble() * 0.6));
            var current = holders.Where(h => t - int.Parse(h.Id[1..], System.Globalization.CultureInfo.InvariantCulture) < 500).ToArray();
            var settle = t % 30 == 0 || !current.SequenceEqual(list);
            list = current;
            engine.Tick(t, At(cpu, dram, gpu, readable ? meter.TotalUj : -1, meter.Provenance), list, settle);
            if (!settle) continue;
            var account = engine.NodeMeter!;
            Assert.Equal(0, engine.Residual());
            Assert.Equal(account.MeterUj, account.CoveredComponentsUj + account.OtherUj - account.DeficitUj);
            Assert.Equal(books.Devices["node:redfish"].TotalUj, account.MeterUj);
            Assert.Equal(account.OtherUj, OtherPlaced(books));
            Assert.True(account.DeficitUj >= 0);
            foreach (var h in holders.Where(h => !current.Contains(h))) engine.Retire(h.Id);
        }
        Assert.True(engine.NodeMeter!.OtherUj > 0);
        Assert.True(engine.NodeMeter.NegativeIntervals > 0, "a lagging meter gives negative ticks");
    }
}
