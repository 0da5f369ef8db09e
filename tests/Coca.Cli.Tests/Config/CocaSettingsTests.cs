using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Config;

/// <summary>
/// A setting resolves as: flag, then <c>COCA_SECTION_KEY</c>, then its older alias <c>COCA_KEY</c>, then the
/// configuration file's <c>[section] key</c>, then the default in its section's settings class.
/// </summary>
public class CocaSettingsTests
{
    private static CocaSettings With(Dictionary<string, string> environment, Dictionary<string, string>? file = null) =>
        new((file ?? []).ToDictionary(p => p.Key, p => new TomlEntry(p.Value, 1)), name => environment.GetValueOrDefault(name), filePath: "test.toml");

    [Fact]
    public void The_section_named_variable_wins_over_its_alias()
    {
        var settings = With(new() { ["COCA_AGENT_INTERVAL"] = "2", ["COCA_INTERVAL"] = "5" });
        Assert.Equal(2, settings.Double(AgentSettings.Interval, flag: null));
    }

    [Fact]
    public void The_alias_still_sets_the_setting_so_that_no_deployment_breaks()
    {
        var settings = With(new() { ["COCA_INTERVAL"] = "5", ["COCA_STATE_DIR"] = "/srv/coca" });
        Assert.Equal(5, settings.Double(AgentSettings.Interval, flag: null));
        Assert.Equal("/srv/coca", settings.String(AgentSettings.StateDir, flag: null));
    }

    [Fact]
    public void The_flag_beats_both_variables()
    {
        var settings = With(new() { ["COCA_AGENT_INTERVAL"] = "2", ["COCA_INTERVAL"] = "5" });
        Assert.Equal(7, settings.Double(AgentSettings.Interval, flag: 7));
        Assert.Equal("0.0.0.0:9000", With(new() { ["COCA_AGENT_LISTEN"] = "127.0.0.1:1" }).String(AgentSettings.Listen, "0.0.0.0:9000"));
    }

    [Fact]
    public void A_section_named_variable_sets_only_its_own_section()
    {
        var settings = With(new() { ["COCA_RUN_INTERVAL"] = "0.25" });
        Assert.Equal(0.25, settings.Double(RunSettings.Interval, flag: null));
        Assert.Equal(AgentSettings.Interval.Default, settings.Double(AgentSettings.Interval, flag: null));
    }

    [Fact]
    public void The_config_file_section_key_sets_the_setting_and_the_environment_beats_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.toml");
        File.WriteAllText(path, "[agent]\ninterval = 3\nlisten = \"0.0.0.0:9464\"\n[run]\ninterval = 0.5\n");
        var environment = new Dictionary<string, string>();

        var settings = CocaSettings.Load(path, name => environment.GetValueOrDefault(name));
        Assert.Equal(3, settings.Double(AgentSettings.Interval, flag: null));
        Assert.Equal(0.5, settings.Double(RunSettings.Interval, flag: null));
        Assert.Equal("0.0.0.0:9464", settings.String(AgentSettings.Listen, flag: null));

        environment["COCA_LISTEN"] = "127.0.0.1:9999";
        Assert.Equal("127.0.0.1:9999", CocaSettings.Load(path, name => environment.GetValueOrDefault(name)).String(AgentSettings.Listen, flag: null));
    }

    [Fact]
    public void Nothing_set_gives_the_default_of_the_settings_class()
    {
        var settings = With([]);
        Assert.Equal(1.0, settings.Double(AgentSettings.Interval, flag: null));
        Assert.Equal("/var/lib/coca", settings.String(AgentSettings.StateDir, flag: null));
        Assert.Equal("127.0.0.1:9464", settings.String(AgentSettings.Listen, flag: null));
        Assert.Null(settings.String(AgentSettings.Server, flag: null));
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_a_usage_error_that_names_the_variable_it_came_from()
    {
        var e = Assert.Throws<UsageException>(() => With(new() { ["COCA_INTERVAL"] = "often" }).Double(RunSettings.Interval, flag: null));
        Assert.Contains("COCA_INTERVAL", e.Message, StringComparison.Ordinal);
        Assert.Contains("'often'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_only_settings_ignore_the_config_file_variable()
    {
        var settings = CocaSettings.EnvironmentOnly(name => name == "COCA_CONFIG" ? "/nonexistent.toml" : null);
        Assert.Equal("/var/lib/coca", settings.String(AgentSettings.StateDir, flag: null));
    }
}
