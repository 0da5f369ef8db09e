using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class SensorsCommandTests
{
    [Fact]
    public void Lists_each_zone_with_counting_rule_and_wrap_time()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        var r = CocaProcess.Run(["sensors", "--json", "--window", "0.1", "--sysfs-root", f.Root]);
        Assert.Equal(0, r.ExitCode);
        var devices = r.Json.GetProperty("devices").EnumerateArray().ToList();
        var package = devices.Single(d => d.GetProperty("id").GetString() == "package-0");
        Assert.True(package.GetProperty("counted").GetBoolean());
        Assert.Equal(SysfsFixture.RealMaxEnergyRangeUj / 150e6, package.GetProperty("wrap_seconds_at_max_power").GetDouble(), 3);
        Assert.False(devices.Single(d => d.GetProperty("id").GetString() == "core-1").GetProperty("counted").GetBoolean());
        Assert.DoesNotContain(r.Json.GetProperty("issues").EnumerateArray(), i => i.GetProperty("level").GetString() == "warning");
    }

    [Fact]
    public void Unavailable_source_says_why_and_the_fix()
    {
        using var empty = new TempDirectory();
        var r = CocaProcess.Run(["sensors", "--json", "--window", "0.1", "--sysfs-root", empty.Path]);
        Assert.Equal(0, r.ExitCode);
        var issues = r.Json.GetProperty("issues").EnumerateArray().ToList();
        var rapl = issues.Single(i => i.GetProperty("source").GetString() == "rapl");
        Assert.Contains("no RAPL zones", rapl.GetProperty("problem").GetString());
        Assert.False(string.IsNullOrEmpty(rapl.GetProperty("fix").GetString()));
        Assert.Contains(r.Json.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == "estimate:cpu");
    }

    [Fact]
    public void Table_output_shows_the_fix()
    {
        using var empty = new TempDirectory();
        var r = CocaProcess.Run(["sensors", "--window", "0.1", "--sysfs-root", empty.Path]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("fix:", r.Stdout);
        Assert.Contains("estimate:cpu", r.Stdout);
    }
}
