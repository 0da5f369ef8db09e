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
    public void Help_names_the_section_variable_and_its_alias()
    {
        var help = CocaProcess.Run(["agent", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("env COCA_AGENT_INTERVAL, alias COCA_INTERVAL", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("env COCA_AGENT_STATE_DIR, alias COCA_STATE_DIR", help.Stdout, StringComparison.Ordinal);
    }
}
