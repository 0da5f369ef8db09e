using Coca.TestSupport;
using Coca.Tracker;
using Coca.Tracker.Results;

namespace Coca.Cli.Tests.Tracker;

public class EmissionsTrackerTests
{
    /// <summary>A tracker on a RAPL fixture, without GPUs, in France.</summary>
    internal static TrackerOptions Options(SysfsFixture f) => new()
    {
        Sources = new Sources.SourceSetOptions { SysfsRoot = f.Root, Gpu = { Enabled = false } },
        Interval = TimeSpan.FromMilliseconds(50),
        Country = "FRA",
    };

    [Fact]
    public void Using_block_measures_what_runs_inside_it()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        RunResult result;
        using (var tracker = EmissionsTracker.Start("unit", Options(f)))
        {
            f.SetEnergy("intel-rapl:0", 10_000_000);
            f.SetEnergy("intel-rapl:1", 20_000_000);
            f.SetEnergy("intel-rapl:1:1", 3_000_000);
            Thread.Sleep(150);
            result = tracker.Stop();
            Assert.Same(result, tracker.Stop());
        }
        Assert.Equal(30.0, result.EnergyJ.Cpu, 6);
        Assert.Equal(3.0, result.EnergyJ.Dram, 6);
        Assert.Equal("measured", result.Provenance.Cpu);
        Assert.Equal("unit", result.Project);
        Assert.Null(result.Command);
        Assert.True(result.Samples >= 2);
    }

    [Fact]
    public async Task Samples_every_interval_on_the_injected_clock()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options(f);
        options.Interval = TimeSpan.FromSeconds(1);
        options.TimeProvider = clock;
        using var tracker = EmissionsTracker.Start("clock", options);
        for (var second = 1; second <= 5; second++)
        {
            f.SetEnergy("intel-rapl:0", (ulong)second * 50_000_000); // 50 W on package-0
            clock.Advance(TimeSpan.FromSeconds(1));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (tracker.SampleCount < second + 1) await Task.Delay(5, wait.Token);
        }
        var result = tracker.Stop();

        Assert.Equal(7, result.Samples);
        Assert.Equal(5.0, result.DurationS, 9);
        Assert.Equal(250.0, result.EnergyJ.Cpu, 6);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:05Z", System.Globalization.CultureInfo.InvariantCulture), result.EndedAt);
        var package = result.Devices.Single(d => d.Id == "package-0");
        Assert.Equal(50.0, package.AveragePowerW!.Value, 6);
    }

    [Fact]
    public async Task Await_using_stops_and_writes_the_csv()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        using var output = new TempDirectory();
        var options = Options(f);
        options.OutputDirectory = output.Path;
        await using (EmissionsTracker.Start("async", options))
        {
            f.SetEnergy("intel-rapl:0", 1_000_000);
            await Task.Delay(100);
        }
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output.Path, "emissions.csv")).Length);
    }

    [Fact]
    public void Result_serialises_to_the_documented_json_and_back()
    {
        using var f = SysfsFixture.TwoSocketXeon(start: 0);
        var result = EmissionsTracker.Start("json", Options(f)).Stop(exitCode: 0);
        var json = RunResultJson.Serialize(result);
        foreach (var key in new[] { "\"command\"", "\"exit_code\"", "\"duration_s\"", "\"energy_j\"", "\"attributed_j\"", "\"provenance\"", "\"carbon\"", "\"carbon_intensity_g_per_kwh\"", "\"emissions_g\"", "\"devices\"", "\"total\"" })
        {
            Assert.Contains(key, json);
        }
        var back = RunResultJson.Deserialize(json)!;
        Assert.Equal(result.RunId, back.RunId);
        Assert.Equal(result.EnergyJ, back.EnergyJ);
    }

    [Fact]
    public void Bad_carbon_inputs_are_refused_before_anything_is_measured()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        var options = Options(f);
        options.Country = "NOPE";
        Assert.Throws<ArgumentException>(() => EmissionsTracker.Start("bad", options));
    }
}
