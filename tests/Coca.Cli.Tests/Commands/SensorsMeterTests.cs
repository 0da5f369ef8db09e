using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca sensors</c> with a node meter: a wattmeter's file stands for the meter (a BMC is tested in Coca.Sources.Tests).</summary>
public class SensorsMeterTests
{
    [Fact]
    public void A_wattmeter_shows_as_the_node_meter_with_its_period_and_last_reading()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var dir = new TempDirectory();
        var file = dir.Combine("omegawatt.csv");
        File.WriteAllLines(file, ["#timestamp,#frame_is_ok,#U1,#current1,#activepow1,#current2,#activepow2", "1777636800,1,230,1,150.5,1,149.5", "1777636801,1,230,1,151,1,150"]);

        var r = CocaProcess.Run(["sensors", "--json", "--window", "0.1", "--sysfs-root", f.Root, "--wattmeter", file, "--channels", "n51=1+2", "--meter-interval", "2"],
            new Dictionary<string, string> { ["COCA_AGENT_NODE"] = "n51" });

        Assert.Equal(0, r.ExitCode);
        var meter = Assert.Single(r.Json.GetProperty("meters").EnumerateArray());
        Assert.Equal("node:wattmeter", meter.GetProperty("id").GetString());
        Assert.Equal(2, meter.GetProperty("poll_interval_s").GetDouble());
        Assert.Equal(301, meter.GetProperty("power_w").GetDouble());
        Assert.Equal("2026-05-01T12:00:01+00:00", meter.GetProperty("meter_time").GetString());
        var device = r.Json.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "node:wattmeter");
        Assert.False(device.GetProperty("counted").GetBoolean());
        Assert.Equal("other", device.GetProperty("kind").GetString());
    }

    [Fact]
    public void A_meter_that_cannot_be_read_says_why_in_the_table()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var dir = new TempDirectory();
        var file = dir.Combine("empty.csv");
        File.WriteAllText(file, "time,node,power_w\n");
        var r = CocaProcess.Run(["sensors", "--window", "0.1", "--sysfs-root", f.Root, "--wattmeter", file, "--wattmeter-format", "csv"],
            new Dictionary<string, string> { ["COCA_AGENT_NODE"] = "n51" });
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("node meter node:wattmeter", r.Stdout);
        Assert.Contains("no row for n51 yet", r.Stdout);
    }

    [Theory]
    [InlineData("--channels", "n51=1+x")]
    [InlineData("--meter-interval", "0")]
    [InlineData("--redfish", "https://root:calvin@bmc")]
    public void A_bad_meter_setting_is_one_line_and_exit_2(string flag, string value)
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var dir = new TempDirectory();
        var file = dir.Combine("w.csv");
        File.WriteAllText(file, "");
        string[] args = flag == "--redfish" ? ["sensors", "--sysfs-root", f.Root, flag, value] : ["sensors", "--sysfs-root", f.Root, "--wattmeter", file, "--channels", "n51=1", flag, value];
        var r = CocaProcess.Run(args, new Dictionary<string, string> { ["COCA_AGENT_NODE"] = "n51" });
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("calvin", r.Stderr);
    }

    [Fact]
    public void Two_meters_at_once_are_refused()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        var r = CocaProcess.Run(["sensors", "--sysfs-root", f.Root, "--redfish", "https://bmc", "--ipmi", "local"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("one node meter", r.Stderr);
    }
}
