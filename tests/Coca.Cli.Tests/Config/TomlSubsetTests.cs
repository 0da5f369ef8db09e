using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Config;

/// <summary>A configuration file is read strictly: what no setting reads is an error with its line (issue 12, item 19).</summary>
public class TomlSubsetTests
{
    private static string Load(string text)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "c.toml");
        File.WriteAllText(path, text);
        var e = Assert.Throws<UsageException>(() => CocaSettings.Load(path, _ => null));
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 1)..];
    }

    [Fact]
    public void Duplicate_key_is_an_error_with_both_lines() =>
        Assert.Equal("4: duplicate key 'interval' (first on line 2)", Load("[agent]\ninterval = 1\n# again\ninterval = 2\n"));

    [Fact]
    public void Unknown_key_is_an_error_with_its_line_and_the_known_keys() =>
        Assert.StartsWith("3: unknown key 'intervall' in [agent] (known: state_dir, listen, web_config, interval", Load("[agent]\nlisten = \"127.0.0.1:9464\"\nintervall = 2\n"), StringComparison.Ordinal);

    [Fact]
    public void Unknown_section_is_an_error_with_its_line() =>
        Assert.StartsWith("2: unknown section [agnet]", Load("[agnet]\ninterval = 2\n"), StringComparison.Ordinal);

    [Fact]
    public void Table_opened_twice_is_an_error() =>
        Assert.Equal("3: table [run] opened again (first on line 1)", Load("[run]\npue = 1.2\n[run]\n"));

    [Fact]
    public void Known_keys_load()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "c.toml");
        File.WriteAllText(path, "interval = 2\n[agent]\ninterval = 3\n[run]\npue = 1.2\n[gpu]\nnvml_lib = \"x\"\n");
        Assert.Equal(3, CocaSettings.Load(path, _ => null).Double(AgentSettings.Interval, null));
    }
}
