using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca run</c> never loses a finished measurement, and refuses a mistyped option before running anything (issue 12, item 17).</summary>
public class RunCommandNeverLosesTests
{
    [Fact]
    public void Emissions_csv_that_cannot_be_written_still_prints_the_summary_and_json_and_exits_with_the_command_code()
    {
        using var output = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(output.Path, "emissions.csv")); // a directory in the file's place
        var r = CocaProcess.Run(["run", "--json", "--output-dir", output.Path, "--", "sh", "-c", "exit 3"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(3, r.Json.GetProperty("exit_code").GetInt32());
        Assert.Contains("emissions.csv not written", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("emissions:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(r.Json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("emissions.csv not written", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_dir_that_is_a_file_is_a_warning_not_a_lost_run()
    {
        using var output = new TempDirectory();
        var file = Path.Combine(output.Path, "not-a-dir");
        File.WriteAllText(file, "x");
        var r = CocaProcess.Run(["run", "--json", "--output-dir", file, "--", "true"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, r.Json.GetProperty("exit_code").GetInt32());
        Assert.Contains("not written", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_country_warns_and_falls_back_to_the_world_average()
    {
        using var output = new TempDirectory();
        var r = CocaProcess.Run(["run", "--json", "--country", "ZZZ", "--output-dir", output.Path, "--", "true"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("unknown country code 'ZZZ'", r.Stderr, StringComparison.Ordinal);
        var carbon = r.Json.GetProperty("carbon");
        Assert.Equal(475, carbon.GetProperty("carbon_intensity_g_per_kwh").GetDouble());
        Assert.Contains("world average", carbon.GetProperty("intensity_source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mistyped_option_before_the_double_dash_is_a_usage_error_and_runs_nothing()
    {
        using var dir = new TempDirectory();
        var marker = Path.Combine(dir.Path, "ran");
        var r = CocaProcess.Run(["run", "--contry", "FRA", "--output-dir", dir.Path, "--", "touch", marker]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("unknown option '--contry'", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Json_file_holds_the_result_apart_from_the_command_stdout()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "result.json");
        var r = CocaProcess.Run(["run", "--json-file", file, "--no-csv", "--", "sh", "-c", "echo '{not json'; exit 4"]);
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("{not json", r.Stdout.Trim());
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(4, json.RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void Json_file_that_cannot_be_written_is_a_warning_and_keeps_the_command_code()
    {
        using var dir = new TempDirectory();
        var r = CocaProcess.Run(["run", "--json-file", dir.Path, "--no-csv", "--", "sh", "-c", "exit 5"]);
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("--json-file", r.Stderr, StringComparison.Ordinal);
    }
}
