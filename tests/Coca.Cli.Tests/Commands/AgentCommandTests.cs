namespace Coca.Cli.Tests.Commands;

public class AgentCommandTests
{
    [Fact]
    public void Interval_is_read_from_COCA_AGENT_INTERVAL_before_its_alias_COCA_INTERVAL()
    {
        // An interval of 0 is refused before the agent starts: which variable was read shows in the exit code.
        var alias = CocaProcess.Run(["agent", "--listen", "127.0.0.1:0"], new Dictionary<string, string> { ["COCA_INTERVAL"] = "0" }, timeoutSeconds: 30);
        Assert.Equal(2, alias.ExitCode);
        Assert.Contains("--interval must be a positive number", alias.Stderr, StringComparison.Ordinal);

        var newName = CocaProcess.Run(["agent", "--listen", "127.0.0.1:0"], new Dictionary<string, string> { ["COCA_INTERVAL"] = "1", ["COCA_AGENT_INTERVAL"] = "0" }, timeoutSeconds: 30);
        Assert.Equal(2, newName.ExitCode);
        Assert.Contains("--interval must be a positive number", newName.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calibration_that_cannot_give_this_node_a_model_is_one_line_before_the_agent_starts()
    {
        using var dir = new Coca.TestSupport.TempDirectory("coca-calibration");
        var two = dir.Combine("two.json");
        File.WriteAllText(two, """{"interval_s": 30, "nodes": [{"node": "n51", "samples": 1, "model": {"intercept_w": 90, "cpu": 1.1, "gpu": 1}, "node_energy_j": 1, "component_energy_j": 1},""" +
            """{"node": "n52", "samples": 1, "model": {"intercept_w": null, "cpu": null, "gpu": null}, "node_energy_j": 1, "component_energy_j": 1}], "bad_frames": 0, "skipped_rows": 0}""");
        File.WriteAllText(dir.Combine("bad.json"), "interval_s,nodes\n");
        (string[] Args, string Error)[] cases =
        [
            (["--calibration", dir.Combine("missing.json")], "--calibration " + dir.Combine("missing.json") + ": Could not find file"),
            (["--calibration", dir.Combine("bad.json")], "not coca calibrate --json's output"),
            (["--calibration", two], "has 2 nodes: say which one stands for this node with --calibration-node"),
            (["--calibration", two, "--calibration-node", "n9"], "has no node 'n9' (it has n51, n52)"),
            (["--calibration", two, "--calibration-node", "n52"], "node n52: the calibration has no model"),
        ];
        foreach (var (args, error) in cases)
        {
            var r = CocaProcess.Run(["agent", "--listen", "127.0.0.1:0", "--state-dir", dir.Combine("state"), .. args], timeoutSeconds: 30);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(error, r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
    }

    [Fact]
    public void Help_names_the_section_variable_and_its_alias()
    {
        var help = CocaProcess.Run(["agent", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("env COCA_AGENT_INTERVAL, alias COCA_INTERVAL", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("env COCA_AGENT_STATE_DIR, alias COCA_STATE_DIR", help.Stdout, StringComparison.Ordinal);
    }
}
