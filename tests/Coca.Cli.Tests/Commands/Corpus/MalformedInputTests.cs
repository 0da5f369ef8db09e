using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands.Corpus;

/// <summary>
/// The malformed-input corpus (issue 12): every input ends in one line on stderr and exit 1 or 2, never a stack
/// trace, and a bad row among good ones loses none of them.
/// </summary>
public class MalformedInputTests
{
    public static TheoryData<MalformedInput> Corpus() => [.. MalformedInputCorpus.All()];

    [Fact]
    public void The_corpus_has_at_least_90_inputs() => Assert.True(MalformedInputCorpus.All().Count() >= 90);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_input_is_one_line_and_exit_1_or_2_and_loses_no_good_record(MalformedInput input)
    {
        using var dir = new TempDirectory();
        string[] args;
        if (input.Args is { } given)
        {
            args = given;
        }
        else
        {
            var readings = Path.Combine(dir.Path, "readings.csv");
            var jobs = Path.Combine(dir.Path, "jobs.csv");
            File.WriteAllText(readings, input.Readings ?? MalformedInputCorpus.GoodReadings);
            File.WriteAllText(jobs, input.Jobs ?? MalformedInputCorpus.GoodJobs);
            args = ["attribute", "--readings", readings, "--jobs", jobs, "--json"];
        }
        if (input.Toml is { } toml)
        {
            var config = Path.Combine(dir.Path, "config.toml");
            File.WriteAllText(config, toml);
            args = [.. args, "--config", config];
        }

        var r = CocaProcess.Run(args, input.Env, workingDirectory: dir.Path, timeoutSeconds: 30);

        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", r.Stderr, StringComparison.Ordinal);
        Assert.True(r.ExitCode is 1 or 2, $"exit {r.ExitCode}; stderr: {r.Stderr}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr: {r.Stderr}");
        Assert.StartsWith("coca", lines[0], StringComparison.Ordinal);
        Assert.True(lines[0].Length < 2000, "one readable line, not the input echoed back");
        if (!input.RowLevel) return;

        Assert.Equal(1, r.ExitCode);
        var job = r.Json.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetString() == "42");
        var energy = job.GetProperty("energy_j");
        Assert.Equal(MalformedInputCorpus.GoodGpuJ, energy.GetProperty("gpu").GetDouble(), 6);
        Assert.Equal(MalformedInputCorpus.GoodCpuJ, energy.GetProperty("cpu").GetDouble(), 6);
    }
}
