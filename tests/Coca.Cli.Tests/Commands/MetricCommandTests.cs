using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class MetricCommandTests
{
    [Fact]
    public void Metrics_of_a_command_under_coca_run_are_in_its_result_in_order()
    {
        using var noRapl = new TempDirectory();
        var coca = $"dotnet '{CocaProcess.Dll}'";
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--sysfs-root", noRapl.Path, "--", "sh", "-c",
            $"{coca} metric loss=0.5 --step 1 && {coca} metric accuracy=0.91 --step 1 && {coca} metric loss=NaN; {coca} metric val/loss=4e-1"]);

        Assert.Equal(0, r.ExitCode);
        var metrics = r.Json.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(["loss", "accuracy", "val/loss"], metrics.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(0.91, metrics[1].GetProperty("value").GetDouble());
        Assert.Equal(1, metrics[1].GetProperty("step").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, metrics[2].GetProperty("step").ValueKind);
        Assert.Contains("not a finite number", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_a_slurm_job_the_metric_goes_to_the_jobs_file_in_the_state_dir()
    {
        using var state = new TempDirectory();
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "4242_7", ["COCA_AGENT_STATE_DIR"] = state.Path };
        Assert.Equal(0, CocaProcess.Run(["metric", "accuracy=0.8", "--step", "2"], env).ExitCode);
        Assert.Equal(0, CocaProcess.Run(["metric", "accuracy=0.9", "--step", "3"], env).ExitCode);

        var lines = File.ReadAllLines(Path.Combine(state.Path, "metrics", "4242_7.csv"));
        Assert.Equal("name,value,step,time", lines[0]);
        Assert.StartsWith("accuracy,0.8,2,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("accuracy,0.9,3,", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd", 2)]
    [InlineData("", 1)]
    public void A_bad_or_missing_job_id_is_one_line_and_writes_nothing(string jobId, int exitCode)
    {
        using var state = new TempDirectory();
        var r = CocaProcess.Run(["metric", "accuracy=0.8"], new Dictionary<string, string> { ["SLURM_JOB_ID"] = jobId, ["COCA_AGENT_STATE_DIR"] = state.Path });
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(state.Path, "metrics")));
    }

    [Theory]
    [InlineData("accuracy")]
    [InlineData("=1")]
    [InlineData("bad name=1")]
    [InlineData("loss=inf")]
    [InlineData("loss=1 --step -1")]
    public void Bad_metrics_are_usage_errors(string args)
    {
        using var file = new TempDirectory();
        var r = CocaProcess.Run(["metric", .. args.Split(' ')], new Dictionary<string, string> { ["COCA_METRICS_FILE"] = file.Combine("m.csv") });
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(file.Combine("m.csv")));
    }
}
