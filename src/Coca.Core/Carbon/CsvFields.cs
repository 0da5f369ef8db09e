using System.Text;

namespace Coca.Core.Carbon;

/// <summary>Splits one line of a delimited file, honouring double quotes (Electricity Maps quotes zone names with commas).</summary>
internal static class CsvFields
{
    public static string[] Split(string line, char separator)
    {
        if (!line.Contains('"')) return line.Split(separator);
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }

    /// <summary>A header's names, compared without case, BOM, surrounding spaces, or the subscript in gCO₂.</summary>
    public static string Normalise(string name) => name.Trim().TrimStart('\uFEFF').Replace('₂', '2').ToLowerInvariant();

    /// <summary>The separator the header line uses: semicolon, tab, else comma.</summary>
    public static char SeparatorOf(string header) => header.Contains(';') ? ';' : header.Contains('\t') ? '\t' : ',';
}
