using System.Diagnostics;

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
        // Its own artifacts folder: the edition changes Coca.Cli's references, and must not touch the main build's obj/;
        // no build servers, so that nothing of this test outlives it.
        var build = Run("dotnet", ["build", Path.Combine(RepositoryRoot(), "src", "Coca.Cli", "Coca.Cli.csproj"), "-p:CocaEdition=node", "--artifacts-path", artifacts.Path, "--disable-build-servers", "-v", "quiet", "-nologo"], 300);
        Assert.True(build.ExitCode == 0, build.Output);
        var output = Path.Combine(artifacts.Path, "bin", "Coca.Cli", "debug");
        foreach (var present in new[] { "coca.dll", "Coca.Commands.Node.dll" })
        {
            Assert.True(File.Exists(Path.Combine(output, present)), $"no {present} in {output}");
        }
        foreach (var absent in new[] { "Coca.Commands.Site.dll", "Coca.Storage.dll", "Coca.Server.dll", "Npgsql.dll", "Microsoft.Data.Sqlite.dll" })
        {
            Assert.False(File.Exists(Path.Combine(output, absent)), $"{absent} is in the node edition");
        }

        var coca = Path.Combine(output, "coca.dll");
        var help = Run("dotnet", [coca, "--help"], 60);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("node edition", help.Output, StringComparison.Ordinal);

        var server = Run("dotnet", [coca, "server", "--listen", "127.0.0.1:0"], 60);
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("coca server: not in this build", server.Output, StringComparison.Ordinal);
        var import = Run("dotnet", [coca, "slurm", "import-sacct", "sacct.txt"], 60);
        Assert.Equal(2, import.ExitCode);
        Assert.Contains("coca slurm import-sacct: not in this build", import.Output, StringComparison.Ordinal);

        using var history = new TestSupport.TempDirectory();
        var runsDb = new Dictionary<string, string> { ["COCA_RUNS_DB"] = history.Combine("runs.db") };
        var run = Run("dotnet", [coca, "run", "--no-csv", "--no-gpu", "--json", "--", "sh", "-c", "exit 3"], 60, runsDb);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("\"exit_code\": 3", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(history.Combine("runs.db")), "the node edition keeps no history of runs");
        var runs = Run("dotnet", [coca, "runs"], 60, runsDb);
        Assert.Equal(2, runs.ExitCode);
        Assert.Contains("coca runs: not in this build", runs.Output, StringComparison.Ordinal);
        Assert.Contains("runs are not recorded", runs.Output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Run(string file, string[] args, int timeoutSeconds, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["HOME"] = Path.GetTempPath();
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "src", "Coca.Cli", "Coca.Cli.csproj"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("src/Coca.Cli/Coca.Cli.csproj not found above " + AppContext.BaseDirectory);
    }
}
