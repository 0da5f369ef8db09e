using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// One setting, named the same way everywhere a user can set it: <c>[section] key</c> in the configuration file and
/// <c>COCA_SECTION_KEY</c> in the environment. Before settings were named per section the variable was
/// <c>COCA_KEY</c> (one <c>COCA_INTERVAL</c> for both <c>coca run</c> and the agent); that name is still read, as an
/// alias below the new one, so that no deployment breaks.
/// </summary>
/// <param name="DefaultDescription">What the help shows instead of the default value, e.g. "this host's name".</param>
public abstract record Setting(string Section, string Key, string? DefaultDescription)
{
    /// <summary>
    /// <c>COCA_AGENT_INTERVAL</c>. A key that already begins with its section is not repeated:
    /// <c>[server] server_listen</c> is <c>COCA_SERVER_LISTEN</c>.
    /// </summary>
    public string Variable => "COCA_" + (Key.StartsWith(Section + "_", StringComparison.Ordinal) ? Key : $"{Section}_{Key}").ToUpperInvariant();

    /// <summary>
    /// False for a setting born after sections whose older-style name another setting already has (<c>[feedback]
    /// channels</c> and <c>[meter] channels</c>): one variable must never set two things.
    /// </summary>
    public bool HasAlias { get; init; } = true;

    /// <summary>The older name, <c>COCA_INTERVAL</c>, still read below <see cref="Variable"/>; null where the two are the same.</summary>
    public string? Alias
    {
        get
        {
            var older = "COCA_" + Key.ToUpperInvariant();
            return !HasAlias || older == Variable ? null : older;
        }
    }

    /// <summary>The flag that sets it, <c>--push-interval</c> for <c>push_interval</c>.</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary><c>[agent] interval</c>, as the README and the help write it.</summary>
    public string ConfigKey => $"[{Section}] {Key}";

    /// <summary>The default value as text; null: none.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>The default as the help and the README show it: the description where there is one, else the value.</summary>
    public string? ShownDefault => DefaultDescription ?? DefaultText;

    /// <summary>
    /// The help text of the option that sets it: what it is, then its default and where else it is set, all read
    /// from here so that the help cannot disagree with the code.
    /// </summary>
    /// <param name="readsConfigFile">False for a command that reads only the flag and the environment.</param>
    public string Help(string what, bool readsConfigFile = true)
    {
        var where = new List<string>();
        if (DefaultDescription is { } described) where.Add($"default: {described}");
        else if (DefaultText is { } value) where.Add($"default {value}");
        where.Add(Alias is null ? $"env {Variable}" : $"env {Variable}, alias {Alias}");
        if (readsConfigFile) where.Add($"config {ConfigKey}");
        return $"{what} ({string.Join("; ", where)})";
    }
}

/// <summary>A setting whose value is text: a path, an address, a name.</summary>
/// <param name="Default">The value when nothing sets it; null: none.</param>
public sealed record TextSetting(string Section, string Key, string? Default = null, string? DefaultDescription = null)
    : Setting(Section, Key, DefaultDescription)
{
    public override string? DefaultText => Default;
}

/// <summary>A setting whose value is a number (seconds, a ratio, a count).</summary>
/// <param name="Default">The value when nothing sets it; null: none.</param>
public sealed record NumberSetting(string Section, string Key, double? Default = null, string? DefaultDescription = null)
    : Setting(Section, Key, DefaultDescription)
{
    /// <summary>What the value may be, checked wherever it comes from.</summary>
    public NumberRange Range { get; init; } = NumberRange.Finite;

    public override string? DefaultText => Default?.ToString(CultureInfo.InvariantCulture);
}
