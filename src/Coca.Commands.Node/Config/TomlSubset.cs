using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// Reads the part of TOML that a configuration file needs: <c>[table]</c> headers, <c>key = value</c>
/// with strings, numbers and booleans, and comments. Keys come out as <c>table.key</c>, each with its line.
/// Arrays, inline tables, multi-line strings, a key given twice and a table opened twice are refused with the line
/// number, as TOML does.
/// </summary>
public static class TomlSubset
{
    public static Dictionary<string, TomlEntry> Parse(string text, string fileName)
    {
        var values = new Dictionary<string, TomlEntry>(StringComparer.Ordinal);
        var tables = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = "";
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            if (rawLine.Any(c => char.IsControl(c) && c is not ('\t' or '\r'))) throw Error(fileName, lineNumber, "a control character in the line");
            var line = StripComment(rawLine).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                table = line[1..^1].Trim();
                if (table.Length == 0 || table.StartsWith('[')) throw Error(fileName, lineNumber, "unsupported table header");
                if (!tables.TryAdd(table, lineNumber)) throw Error(fileName, lineNumber, $"table [{table}] opened again (first on line {tables[table]})");
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw Error(fileName, lineNumber, "expected key = value");
            var key = line[..eq].Trim().Trim('"');
            var value = line[(eq + 1)..].Trim();
            if (key.Length == 0) throw Error(fileName, lineNumber, "expected key = value");
            var name = table.Length == 0 ? key : $"{table}.{key}";
            if (values.TryGetValue(name, out var first)) throw Error(fileName, lineNumber, $"duplicate key '{key}' (first on line {first.Line})");
            values[name] = new TomlEntry(ParseValue(value, fileName, lineNumber), lineNumber);
        }
        return values;
    }

    private static string ParseValue(string value, string fileName, int line)
    {
        if (value.StartsWith("\"\"\"", StringComparison.Ordinal) || value.StartsWith("'''", StringComparison.Ordinal)) throw Error(fileName, line, "multi-line strings are not supported");
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

    internal static UsageException Error(string file, int line, string what) => new($"{file}:{line}: {what}");
}

/// <summary>One value of the file and the line it is on, for errors that point at it.</summary>
public readonly record struct TomlEntry(string Value, int Line);
