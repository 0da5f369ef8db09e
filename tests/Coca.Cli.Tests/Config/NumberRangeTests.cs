using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Config;

/// <summary>Every number from a flag, the environment or the file goes through one check (issue 12, items 13 and 14).</summary>
public class NumberRangeTests
{
    public static TheoryData<string> Bad => ["0", "-1", "NaN", "Infinity", "-Infinity", "1e309", "1e12"];

    [Theory]
    [MemberData(nameof(Bad))]
    public void Push_interval_from_the_flag_outside_its_range_is_a_usage_error_naming_the_range(string text)
    {
        var value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var settings = CocaSettings.EnvironmentOnly(_ => null);
        var e = Assert.Throws<UsageException>(() => settings.Double(AgentSettings.PushInterval, value));
        Assert.StartsWith("--push-interval must be a positive number of seconds from 0.1 to 86400, got ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void Interval_from_the_environment_outside_its_range_names_the_variable(string text)
    {
        var settings = CocaSettings.EnvironmentOnly(name => name == "COCA_AGENT_INTERVAL" ? text : null);
        var e = Assert.Throws<UsageException>(() => settings.Double(AgentSettings.Interval, flag: null));
        Assert.Contains("--interval must be a positive number of seconds", e.Message, StringComparison.Ordinal);
        Assert.Contains("(COCA_AGENT_INTERVAL)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_from_the_file_outside_its_range_names_the_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "config.toml");
        File.WriteAllText(path, "[run]\n\npue = 0.5\n");
        var e = Assert.Throws<UsageException>(() => CocaSettings.Load(path, _ => null).Double(RunSettings.Pue, flag: null));
        Assert.Equal($"--pue must be a number from 1 to 10, got 0.5 ({path}:3 [run] pue)", e.Message);
    }

    [Fact]
    public void Spool_max_must_be_a_whole_number_of_batches()
    {
        var e = Assert.Throws<UsageException>(() => CocaSettings.EnvironmentOnly(_ => null).Double(AgentSettings.SpoolMax, 2.5));
        Assert.Contains("a whole number of batches", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_in_range_pass_unchanged()
    {
        var settings = CocaSettings.EnvironmentOnly(_ => null);
        Assert.Equal(0.5, settings.Double(AgentSettings.PushInterval, 0.5));
        Assert.Equal(0, settings.Double(AgentSettings.JobRetention, 0));
        Assert.Equal(57, settings.Double(RunSettings.CarbonIntensity, 57));
    }
}
