namespace Coca.Cli.Tests.Commands;

/// <summary>
/// The node edition (`-p:CocaEdition=node`) is what the deploy guide puts on compute nodes: it must keep building,
/// must carry no server or store code, must still measure, and must say where a missing command lives.
/// </summary>
public class NodeEditionTests
{
    [Fact]
    public void Node_edition_builds_without_the_server_and_the_store_and_still_measures()
    {
        using var artifacts = new TestSupport.TempDirectory("coca-node-edition");
        var output = EditionBuild.Build("node", artifacts.Path);
        foreach (var present in new[] { "coca.dll", "Coca.Commands.Node.dll" })
        {
            Assert.True(File.Exists(Path.Combine(output, present)), $"no {present} in {output}");
        }
        foreach (var absent in new[] { "Coca.Commands.Site.dll", "Coca.Storage.dll", "Coca.Server.dll", "Npgsql.dll", "Microsoft.Data.Sqlite.dll" })
        {
            Assert.False(File.Exists(Path.Combine(output, absent)), $"{absent} is in the node edition");
        }

        var coca = Path.Combine(output, "coca.dll");
        var help = EditionBuild.Run("dotnet", [coca, "--help"], 60);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("node edition", help.Output, StringComparison.Ordinal);

        var server = EditionBuild.Run("dotnet", [coca, "server", "--listen", "127.0.0.1:0"], 60);
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("coca server: not in this build", server.Output, StringComparison.Ordinal);
        var import = EditionBuild.Run("dotnet", [coca, "slurm", "import-sacct", "sacct.txt"], 60);
        Assert.Equal(2, import.ExitCode);
        Assert.Contains("coca slurm import-sacct: not in this build", import.Output, StringComparison.Ordinal);

        using var history = new TestSupport.TempDirectory();
        var runsDb = new Dictionary<string, string> { ["COCA_RUNS_DB"] = history.Combine("runs.db") };
        var run = EditionBuild.Run("dotnet", [coca, "run", "--no-csv", "--no-gpu", "--json", "--", "sh", "-c", "exit 3"], 60, runsDb);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("\"exit_code\": 3", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(history.Combine("runs.db")), "the node edition keeps no history of runs");
        var runs = EditionBuild.Run("dotnet", [coca, "runs"], 60, runsDb);
        Assert.Equal(2, runs.ExitCode);
        Assert.Contains("coca runs: not in this build", runs.Output, StringComparison.Ordinal);
        Assert.Contains("runs are not recorded", runs.Output, StringComparison.Ordinal);
    }
}
