using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca carbon</c> reads the same settings as every other command: flag, environment, file (issue 12, item 19).</summary>
public class CarbonSettingsTests
{
    [Fact]
    public void Country_comes_from_COCA_RUN_COUNTRY_when_no_flag_gives_it()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "10", "--json"], new Dictionary<string, string> { ["COCA_RUN_COUNTRY"] = "FRA" });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("FRA", r.Json.GetProperty("country").GetString());
    }

    [Fact]
    public void Intensity_and_pue_come_from_the_config_file()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "c.toml");
        File.WriteAllText(path, "[run]\ncarbon_intensity = 57\npue = 1.5\n");
        var r = CocaProcess.Run(["carbon", "--kwh", "10", "--json", "--config", path]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(57, r.Json.GetProperty("carbon_intensity_g_per_kwh").GetDouble());
        Assert.Equal(1.5, r.Json.GetProperty("pue").GetDouble());
    }

    [Fact]
    public void Pue_from_the_environment_outside_its_range_is_one_line_and_exit_2()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "10", "--country", "FRA"], new Dictionary<string, string> { ["COCA_RUN_PUE"] = "NaN" });
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("coca: --pue must be a number from 1 to 10, got NaN (COCA_RUN_PUE)", r.Stderr.Trim());
    }
}
