using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// Settings resolved from, in order: the command-line flag, the environment variable <c>COCA_SECTION_KEY</c>, its
/// older alias <c>COCA_KEY</c>, the configuration file (<c>[section] key</c>, then a top-level <c>key</c>), the
/// setting's default. The file is <c>--config</c>, else <c>$COCA_CONFIG</c>, else <c>~/.config/coca/config.toml</c>,
/// else <c>/etc/coca/config.toml</c>.
/// </summary>
public sealed class CocaSettings
{
    private readonly Dictionary<string, TomlEntry> _file;
    private readonly Func<string, string?> _environment;

    public CocaSettings(Dictionary<string, TomlEntry> file, Func<string, string?> environment, string? filePath)
    {
        _file = file;
        _environment = environment;
        FilePath = filePath;
    }

    public string? FilePath { get; }

    public static CocaSettings Load(string? explicitPath, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var path = explicitPath ?? environment("COCA_CONFIG");
        if (path is null)
        {
            var home = environment("HOME");
            var candidates = new[]
            {
                home is null ? null : Path.Combine(home, ".config", "coca", "config.toml"),
                "/etc/coca/config.toml",
            };
            path = candidates.FirstOrDefault(p => p is not null && File.Exists(p));
        }
        else if (!File.Exists(path))
        {
            throw new UsageException($"configuration file {path} does not exist");
        }
        var values = path is null ? [] : TomlSubset.Parse(Read(path), path);
        foreach (var (key, entry) in values)
        {
            if (KnownSettings.Unknown(key) is { } why) throw TomlSubset.Error(path!, entry.Line, why);
        }
        return new CocaSettings(values, environment, path);
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the configuration file {path}: {e.Message}");
        }
    }

    /// <summary>The flag and the environment only, no configuration file: for commands that must not fail on one.</summary>
    public static CocaSettings EnvironmentOnly(Func<string, string?> environment) => new([], environment, null);

    public string? String(TextSetting setting, string? flag) =>
        flag ?? Text(setting)?.Value ?? setting.Default;

    /// <summary>The number from the flag, the environment, the file or the default, checked against the setting's
    /// <see cref="NumberSetting.Range"/> wherever it came from; null where nothing sets it and it has no default.</summary>
    public double? Double(NumberSetting setting, double? flag)
    {
        if (flag is { } given) return setting.Range.Check(given, setting.Flag);
        if (Text(setting) is not { } found) return setting.Default;
        return double.TryParse(found.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? setting.Range.Check(v, setting.Flag, found.Source)
            : throw new UsageException($"setting {setting.ConfigKey} ({found.Source}) must be {setting.Range.Describe()}, got '{found.Value}'");
    }

    /// <summary>The setting's text from the environment or the file, and where it came from; null where neither sets it.</summary>
    private (string Value, string Source)? Text(Setting setting)
    {
        if (_environment(setting.Variable) is { } value) return (value, setting.Variable);
        if (setting.Alias is { } alias && _environment(alias) is { } older) return (older, alias);
        if (_file.TryGetValue($"{setting.Section}.{setting.Key}", out var inSection)) return (inSection.Value, $"{FilePath}:{inSection.Line} {setting.ConfigKey}");
        if (_file.TryGetValue(setting.Key, out var topLevel)) return (topLevel.Value, $"{FilePath}:{topLevel.Line} {setting.Key}");
        return null;
    }
}
