using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// Reads the part of TOML that a configuration file needs: <c>[table]</c> headers, <c>key = value</c>
/// with strings, numbers and booleans, and comments. Keys come out as <c>table.key</c>.
/// Arrays, inline tables and multi-line strings are refused with the line number.
/// </summary>
public static class TomlSubset
{
    public static Dictionary<string, string> Parse(string text, string fileName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = "";
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = StripComment(rawLine).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                table = line[1..^1].Trim();
                if (table.Length == 0 || table.StartsWith('[')) throw Error(fileName, lineNumber, "unsupported table header");
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw Error(fileName, lineNumber, "expected key = value");
            var key = line[..eq].Trim().Trim('"');
            var value = line[(eq + 1)..].Trim();
            values[table.Length == 0 ? key : $"{table}.{key}"] = ParseValue(value, fileName, lineNumber);
        }
        return values;
    }

    private static string ParseValue(string value, string fileName, int line)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }
        if (value is "true" or "false") return value;
        if (double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return value.Replace("_", "", StringComparison.Ordinal);
        }
        throw Error(fileName, line, $"unsupported value '{value}' (use a quoted string, a number or true/false)");
    }

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') inString = !inString;
            if (line[i] == '#' && !inString) return line[..i];
        }
        return line;
    }

    private static UsageException Error(string file, int line, string what) => new($"{file}:{line}: {what}");
}
