using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class RunsCommandTests
{
    [Fact]
    public void Two_runs_of_two_projects_are_listed_newest_first_and_project_filters()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["COCA_RUNS_DB"] = dir.Combine("history", "runs.db") };
        var first = CocaProcess.Run(["run", "--json", "--no-csv", "--project", "alpha", "--", "true"], env);
        var second = CocaProcess.Run(["run", "--json", "--no-csv", "--project", "beta", "--", "sh", "-c", "exit 4"], env);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(4, second.ExitCode);
        Assert.DoesNotContain("history", first.Stderr, StringComparison.Ordinal);

        var all = CocaProcess.Run(["runs", "--json"], env);
        Assert.Equal(0, all.ExitCode);
        var runs = JsonDocument.Parse(all.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["beta", "alpha"], runs.Select(r => r.GetProperty("project").GetString()));
        Assert.Equal(second.Json.GetProperty("run_id").GetString(), runs[0].GetProperty("run_id").GetString());
        Assert.Equal(4, runs[0].GetProperty("exit_code").GetInt32());
        Assert.Equal(first.Json.GetProperty("energy_j").GetProperty("total").GetDouble(), runs[1].GetProperty("energy_j").GetProperty("total").GetDouble());

        var alpha = CocaProcess.Run(["runs", "--json", "--project", "alpha"], env);
        Assert.Equal([first.Json.GetProperty("run_id").GetString()],
            JsonDocument.Parse(alpha.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));

        var newest = CocaProcess.Run(["runs", "--json", "--limit", "1"], env);
        Assert.Single(JsonDocument.Parse(newest.Stdout).RootElement.EnumerateArray());

        var table = CocaProcess.Run(["runs", "--project", "beta"], env);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("beta", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("alpha", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 run(s)", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_logged_under_coca_run_are_kept_and_their_last_values_listed()
    {
        using var dir = new TempDirectory();
        using var noRapl = new TempDirectory();
        var env = new Dictionary<string, string> { ["COCA_RUNS_DB"] = dir.Combine("runs.db") };
        var coca = $"dotnet '{CocaProcess.Dll}'";
        var r = CocaProcess.Run(["run", "--no-csv", "--project", "train", "--sysfs-root", noRapl.Path, "--", "sh", "-c",
            $"{coca} metric loss=0.5 --step 1 && {coca} metric loss=0.25 --step 2 && {coca} metric accuracy=0.91 --step 2"], env);
        Assert.Equal(0, r.ExitCode);

        var kept = JsonDocument.Parse(CocaProcess.Run(["runs", "--json", "--project", "train"], env).Stdout).RootElement.EnumerateArray().Single();
        var metrics = kept.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(["loss", "loss", "accuracy"], metrics.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(0.25, metrics[1].GetProperty("value").GetDouble());

        var table = CocaProcess.Run(["runs"], env);
        Assert.Contains("loss=0.25 accuracy=0.91", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_history_is_a_one_line_warning_and_the_run_still_succeeds()
    {
        using var dir = new TempDirectory();
        // A file where the history's folder should be: no user (root included) can make a database below it.
        File.WriteAllText(dir.Combine("blocked"), "not a folder");
        var env = new Dictionary<string, string> { ["COCA_RUNS_DB"] = dir.Combine("blocked", "runs.db") };

        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--", "sh", "-c", "exit 0"], env);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, r.Json.GetProperty("exit_code").GetInt32());
        var warnings = r.Stderr.Split('\n').Where(l => l.Contains("history", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.StartsWith("coca run: warning: run not kept in the history", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_history_not_yet_made_lists_nothing()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["COCA_RUNS_DB"] = dir.Combine("none", "runs.db") };
        var json = CocaProcess.Run(["runs", "--json"], env);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("[]", json.Stdout.Trim());
        Assert.False(Directory.Exists(dir.Combine("none")));
        Assert.Equal(2, CocaProcess.Run(["runs", "--limit", "0"], env).ExitCode);
    }
}
