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
    public void Counter_health_from_the_agents_books_is_shown_per_device()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var state = new TempDirectory();
        var books = new Coca.Core.Attribution.Books { Node = "n", TakenAt = 1 };
        books.Devices["package-0"] = new Coca.Core.Attribution.DeviceBook { Kind = "cpu", TotalUj = 5, Raw = 1, Wraps = 3, Resets = 1, Rejected = 2 };
        using (var file = new Coca.Agent.State.StateFile(state.Path)) file.Save(books);

        var r = CocaProcess.Run(["sensors", "--json", "--window", "0.1", "--sysfs-root", f.Root], new Dictionary<string, string> { ["COCA_AGENT_STATE_DIR"] = state.Path });

        Assert.Equal(0, r.ExitCode);
        var devices = r.Json.GetProperty("devices").EnumerateArray().ToList();
        var package = devices.Single(d => d.GetProperty("id").GetString() == "package-0");
        Assert.Equal((3, 1, 2), (package.GetProperty("agent_wraps").GetInt64(), package.GetProperty("agent_resets").GetInt64(), package.GetProperty("agent_rejected_steps").GetInt64()));
        Assert.Equal("normal", package.GetProperty("counter_event").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, devices.Single(d => d.GetProperty("id").GetString() == "dram-0").GetProperty("agent_wraps").ValueKind);
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
