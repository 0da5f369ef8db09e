using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;

namespace Coca.Cli.Tests.Config;

/// <summary>Every setting's names: the section-named variable, the older alias, the config key, and the help that shows them.</summary>
public class SettingTests
{
    public static IEnumerable<Setting> Every =>
        [.. RunSettings.All, .. AgentSettings.All, .. HostSettings.All, .. GpuSettings.All, .. MeterSettings.All, .. AttributionSettings.All, .. StoreSettings.All, .. SiteSettings.All, .. ServerSettings.All, .. BehaviourSettings.All, .. EmbodiedSettings.All, .. FeedbackSettings.All];

    [Fact]
    public void The_variable_is_named_after_the_section_and_the_key_and_the_alias_after_the_key()
    {
        Assert.Equal("COCA_AGENT_INTERVAL", AgentSettings.Interval.Variable);
        Assert.Equal("COCA_INTERVAL", AgentSettings.Interval.Alias);
        Assert.Equal("COCA_RUN_INTERVAL", RunSettings.Interval.Variable);
        Assert.Equal("COCA_HOST_CGROUP_ROOT", HostSettings.CgroupRoot.Variable);
        Assert.Equal("[agent] state_dir", AgentSettings.StateDir.ConfigKey);
    }

    [Fact]
    public void A_key_that_begins_with_its_section_is_not_repeated_and_has_no_alias()
    {
        Assert.Equal("COCA_SERVER_LISTEN", ServerSettings.Listen.Variable);
        Assert.Null(ServerSettings.Listen.Alias);
    }

    [Fact]
    public void Every_setting_keeps_the_variable_it_had_before_sections()
    {
        foreach (var s in Every.Where(s => s.HasAlias)) Assert.Equal("COCA_" + s.Key.ToUpperInvariant(), s.Alias ?? s.Variable);
    }

    [Fact]
    public void No_variable_sets_two_settings_but_the_older_names_that_always_did()
    {
        // Before sections, one COCA_INTERVAL set coca run and the agent, one COCA_PUE coca run and the site: kept as they were.
        string[] sharedBefore = ["COCA_COUNTRY", "COCA_CARBON_INTENSITY", "COCA_PUE", "COCA_INTERVAL"];
        var names = Every.SelectMany(s => s.Alias is { } alias ? new[] { s.Variable, alias } : [s.Variable]).ToList();
        Assert.Equal(sharedBefore.Order(StringComparer.Ordinal), names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_two_settings_share_a_variable()
    {
        var variables = Every.Select(s => s.Variable).ToList();
        Assert.Equal(variables.Count, variables.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_help_shows_the_default_both_variables_and_the_config_key()
    {
        Assert.Equal("Seconds between ticks (default 1; env COCA_AGENT_INTERVAL, alias COCA_INTERVAL; config [agent] interval)",
            AgentSettings.Interval.Help("Seconds between ticks"));
        Assert.Equal("Node name (default: this host's name; env COCA_AGENT_NODE, alias COCA_NODE)",
            AgentSettings.Node.Help("Node name", readsConfigFile: false));
    }
}
