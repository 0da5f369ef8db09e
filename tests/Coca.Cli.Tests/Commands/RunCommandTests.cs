using System.Diagnostics;
using System.Globalization;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class RunCommandTests
{
    [Fact]
    public void Sleep_is_measured_and_estimated_cpu_is_labelled_estimated_without_rapl()
    {
        using var noRapl = new TempDirectory();
        using var output = new TempDirectory();
        var r = CocaProcess.Run(["run", "--json", "--sysfs-root", noRapl.Path, "--output-dir", output.Path, "--", "sleep", "1"]);

        Assert.Equal(0, r.ExitCode);
        var json = r.Json;
        Assert.Equal("sleep 1", json.GetProperty("command").GetString());
        Assert.Equal(0, json.GetProperty("exit_code").GetInt32());
        Assert.InRange(json.GetProperty("duration_s").GetDouble(), 0.95, 10);
        Assert.Equal("estimated", json.GetProperty("provenance").GetProperty("cpu").GetString());
        Assert.Equal("estimated", json.GetProperty("provenance").GetProperty("dram").GetString());
        Assert.Equal("none", json.GetProperty("provenance").GetProperty("gpu").GetString());
        var energy = json.GetProperty("energy_j");
        Assert.Equal(energy.GetProperty("cpu").GetDouble() + energy.GetProperty("dram").GetDouble() + energy.GetProperty("gpu").GetDouble() + energy.GetProperty("other").GetDouble(),
            energy.GetProperty("total").GetDouble(), 9);
        Assert.True(energy.GetProperty("dram").GetDouble() > 0);
        var attributed = json.GetProperty("attributed_j");
        Assert.True(attributed.GetProperty("cpu").GetDouble() <= energy.GetProperty("cpu").GetDouble());
        Assert.Contains(json.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == "estimate:cpu" && d.GetProperty("provenance").GetString() == "estimated");
        Assert.Contains("ESTIMATED", r.Stderr);
        var carbon = json.GetProperty("carbon");
        Assert.Equal(475, carbon.GetProperty("carbon_intensity_g_per_kwh").GetDouble());
        Assert.Equal(energy.GetProperty("total").GetDouble() / 3.6e6 * 475, carbon.GetProperty("emissions_g").GetDouble(), 12);
    }

    [Fact]
    public void Exit_code_of_the_command_is_coca_run_exit_code()
    {
        using var output = new TempDirectory();
        var r = CocaProcess.Run(["run", "--json", "--output-dir", output.Path, "--", "sh", "-c", "exit 3"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(3, r.Json.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void Package_counter_wrapping_during_the_run_is_exact_and_nothing_is_double_counted()
    {
        const ulong max = SysfsFixture.RealMaxEnergyRangeUj;
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0", max - 1_000_000)
            .Zone("intel-rapl:0:0", "core", 0, maxPowerUw: null)
            .Zone("intel-rapl:0:1", "dram", 0, maxPowerUw: null)
            .Zone("intel-rapl:1", "psys", 0)
            .Zone("intel-rapl-mmio:0", "package-0", 0);
        using var output = new TempDirectory();
        string W(string zone, ulong v) => $"printf {v} > '{f.EnergyFile(zone)}'";
        var script = string.Join("; ",
            "sleep 0.4", W("intel-rapl:0", max - 1_000), W("intel-rapl:0:0", 900_000), W("intel-rapl:0:1", 250_000),
            W("intel-rapl:1", 9_000_000), W("intel-rapl-mmio:0", 6_000_001),
            "sleep 0.4", W("intel-rapl:0", 5_000_000), W("intel-rapl:0:1", 2_000_000), "sleep 0.4");

        var r = CocaProcess.Run(["run", "--json", "--interval", "0.1", "--sysfs-root", f.Root, "--output-dir", output.Path, "--", "sh", "-c", script]);

        Assert.Equal(0, r.ExitCode);
        var json = r.Json;
        var energy = json.GetProperty("energy_j");
        // package-0: 1,000,000 µJ to the top, 1 for the wrap to 0, 5,000,000 after: 6,000,001 µJ.
        Assert.Equal(6.000001, energy.GetProperty("cpu").GetDouble(), 6);
        Assert.Equal(2.0, energy.GetProperty("dram").GetDouble(), 6);
        Assert.Equal(8.000001, energy.GetProperty("total").GetDouble(), 6);
        Assert.Equal("measured", json.GetProperty("provenance").GetProperty("cpu").GetString());
        Assert.Equal("measured", json.GetProperty("provenance").GetProperty("dram").GetString());
        var devices = json.GetProperty("devices").EnumerateArray().ToList();
        Assert.Contains(devices, d => d.GetProperty("id").GetString() == "psys" && !d.GetProperty("counted").GetBoolean() && d.GetProperty("energy_j").GetDouble() > 8);
        Assert.Contains(devices, d => d.GetProperty("id").GetString() == "core-0" && !d.GetProperty("counted").GetBoolean());
        Assert.Equal(1, devices.Count(d => d.GetProperty("id").GetString() == "package-0" && d.GetProperty("counted").GetBoolean()));
    }

    [Fact]
    public void Emissions_csv_gets_codecarbon_columns_in_kwh_and_kg()
    {
        using var output = new TempDirectory();
        var first = CocaProcess.Run(["run", "--json", "--country", "FRA", "--project", "demo", "--output-dir", output.Path, "--", "true"]);
        CocaProcess.Run(["run", "--output-dir", output.Path, "--", "true"]);

        var lines = File.ReadAllLines(Path.Combine(output.Path, "emissions.csv"));
        Assert.Equal(3, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal("timestamp", header[0]);
        var row = lines[1].Split(',');
        string Col(string name) => row[Array.IndexOf(header, name)];
        Assert.Equal("demo", Col("project_name"));
        Assert.Equal("FRA", Col("country_iso_code"));
        Assert.Equal("France", Col("country_name"));
        var totalJ = first.Json.GetProperty("energy_j").GetProperty("total").GetDouble();
        Assert.Equal(totalJ / 3.6e6, double.Parse(Col("energy_consumed"), CultureInfo.InvariantCulture), 15);
        Assert.Equal(first.Json.GetProperty("carbon").GetProperty("emissions_g").GetDouble() / 1000, double.Parse(Col("emissions"), CultureInfo.InvariantCulture), 15);
        Assert.Equal(first.Json.GetProperty("run_id").GetString(), Col("run_id"));
    }

    [Fact]
    public async Task Sigterm_to_coca_reaches_the_command_and_the_run_is_still_recorded()
    {
        using var output = new TempDirectory();
        using var p = Process.Start(CocaProcess.StartInfo(["run", "--json", "--output-dir", output.Path, "--", "sleep", "30"]))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        await Task.Delay(2000); // let coca start the command
        await Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await p.WaitForExitAsync(timeout.Token);

        Assert.Equal(128 + 15, p.ExitCode);
        Assert.Contains("\"exit_code\": 143", await stdout);
        Assert.True(File.Exists(Path.Combine(output.Path, "emissions.csv")));
    }

    [Fact]
    public void Command_not_found_exits_127_with_one_line()
    {
        var r = CocaProcess.Run(["run", "--no-csv", "--", "/nonexistent/command"]);
        Assert.Equal(127, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("coca: cannot run '/nonexistent/command'", r.Stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run --contry FRA -- true")] // an unknown country is a warning now (RunCommandNeverLosesTests); a mistyped option is not
    [InlineData("run --pue 0.5 -- true")]
    [InlineData("run --interval 0 -- true")]
    [InlineData("run --interval abc -- true")]
    [InlineData("bogus")]
    public void Usage_errors_exit_2_with_one_line_on_stderr(string args)
    {
        var r = CocaProcess.Run([.. args.Split(' '), "--no-csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("coca", r.Stderr);
    }

    [Fact]
    public void Settings_come_from_flag_then_environment_then_config_file()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("config.toml");
        File.WriteAllText(config, "# site settings\n[run]\ncountry = \"SWE\"\npue = 1.2\n");
        var env = new Dictionary<string, string> { ["COCA_CONFIG"] = config };

        var fromFile = CocaProcess.Run(["run", "--json", "--no-csv", "--", "true"], env).Json.GetProperty("carbon");
        Assert.Equal("SWE", fromFile.GetProperty("country").GetString());
        Assert.Equal(1.2, fromFile.GetProperty("pue").GetDouble());

        env["COCA_COUNTRY"] = "DEU";
        Assert.Equal("DEU", CocaProcess.Run(["run", "--json", "--no-csv", "--", "true"], env).Json.GetProperty("carbon").GetProperty("country").GetString());
        env["COCA_RUN_COUNTRY"] = "ITA";
        Assert.Equal("ITA", CocaProcess.Run(["run", "--json", "--no-csv", "--", "true"], env).Json.GetProperty("carbon").GetProperty("country").GetString());
        Assert.Equal("FRA", CocaProcess.Run(["run", "--json", "--no-csv", "--country", "FRA", "--", "true"], env).Json.GetProperty("carbon").GetProperty("country").GetString());
    }

    [Fact]
    public void Interval_is_read_from_COCA_RUN_INTERVAL_before_its_alias_COCA_INTERVAL()
    {
        var alias = CocaProcess.Run(["run", "--no-csv", "--", "true"], new Dictionary<string, string> { ["COCA_INTERVAL"] = "0" });
        Assert.Equal(2, alias.ExitCode);
        Assert.Contains("--interval must be a positive number", alias.Stderr, StringComparison.Ordinal);

        var both = CocaProcess.Run(["run", "--no-csv", "--", "true"], new Dictionary<string, string> { ["COCA_INTERVAL"] = "0", ["COCA_RUN_INTERVAL"] = "0.5" });
        Assert.True(both.ExitCode == 0, both.Stderr);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "", "run", "sensors", "carbon" })
        {
            var r = CocaProcess.Run([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Usage:", r.Stdout);
        }
    }
}
