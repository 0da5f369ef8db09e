using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class SlurmCommandTests
{
    [Fact]
    public void Prolog_writes_to_COCA_AGENT_STATE_DIR_before_its_alias_COCA_STATE_DIR()
    {
        using var newName = new TempDirectory();
        using var alias = new TempDirectory();
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "41", ["SLURM_JOB_USER"] = "ada", ["COCA_STATE_DIR"] = alias.Path };

        var r = CocaProcess.Run(["slurm", "prolog"], env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(alias.Path, "jobs", "41.json")), "the alias COCA_STATE_DIR is no longer read");

        env["COCA_AGENT_STATE_DIR"] = newName.Path;
        env["SLURM_JOB_ID"] = "42";
        r = CocaProcess.Run(["slurm", "prolog"], env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(newName.Path, "jobs", "42.json")), "COCA_AGENT_STATE_DIR did not win over COCA_STATE_DIR");
        Assert.False(File.Exists(Path.Combine(alias.Path, "jobs", "42.json")));
    }
}
