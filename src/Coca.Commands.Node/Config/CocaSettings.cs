using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// One setting resolved from, in order: the command-line flag, the environment variable
/// <c>COCA_&lt;KEY&gt;</c>, the configuration file (<c>[section] key</c> then top-level <c>key</c>), the default.
/// The file is <c>--config</c>, else <c>$COCA_CONFIG</c>, else <c>~/.config/coca/config.toml</c>, else <c>/etc/coca/config.toml</c>.
/// </summary>
public sealed class CocaSettings
{
    private readonly Dictionary<string, string> _file;
    private readonly Func<string, string?> _environment;

    public CocaSettings(Dictionary<string, string> file, Func<string, string?> environment, string? filePath)
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
        var values = path is null ? new Dictionary<string, string>() : TomlSubset.Parse(File.ReadAllText(path), path);
        return new CocaSettings(values, environment, path);
    }

    public string? String(string section, string key, string? flag, string? fallback = null) =>
        flag ?? _environment("COCA_" + key.ToUpperInvariant()) ?? Lookup(section, key) ?? fallback;

    public double? Double(string section, string key, double? flag, double? fallback = null)
    {
        if (flag is not null) return flag;
        var text = _environment("COCA_" + key.ToUpperInvariant()) ?? Lookup(section, key);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UsageException($"setting '{key}' must be a number, got '{text}'");
    }

    private string? Lookup(string section, string key) =>
        _file.TryGetValue($"{section}.{key}", out var v) ? v : _file.TryGetValue(key, out v) ? v : null;
}
