namespace Coca.Core.Attribution.Offline;

/// <summary>
/// A plain comma-separated file with a header line, read by column name. Quotes are not part of these formats. A row
/// with more fields than the header, a quote or a control character is not guessed at: it goes to
/// <see cref="Problems"/> with its line, and the other rows are read.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(Dictionary<string, int> columns, List<(int Line, string[] Fields)> rows, List<string> problems)
    {
        _columns = columns;
        Rows = rows;
        Problems = problems;
    }

    public List<(int Line, string[] Fields)> Rows { get; }

    /// <summary>Rows left out for their shape, one line each: "readings line 7: …".</summary>
    public List<string> Problems { get; }

    public static CsvTable Parse(string text, IReadOnlyList<string> required, string what)
    {
        var lines = text.Split('\n');
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0) throw new FormatException($"{what}: empty file, expected a header line '{string.Join(',', required)}'");
        var header = lines[headerIndex].Trim().TrimStart('\uFEFF').Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var columns = header.Select((h, i) => (h, i)).GroupBy(p => p.h).ToDictionary(g => g.Key, g => g.First().i);
        if (columns.Count < header.Length) throw new FormatException($"{what}: the header names a column twice: '{string.Join(',', header)}'");
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0) throw new FormatException($"{what}: header lacks column(s) {string.Join(", ", missing)}; expected '{string.Join(',', required)}'");
        var rows = new List<(int, string[])>();
        var problems = new List<string>();
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            if (Shape(line, fields.Length, header.Length) is { } wrong) problems.Add($"{what} line {i + 1}: {wrong}, skipped");
            else rows.Add((i + 1, fields));
        }
        return new CsvTable(columns, rows, problems);
    }

    private static string? Shape(string line, int fields, int columns)
    {
        if (fields > columns) return $"{fields} fields where the header has {columns}";
        if (line.Contains('"', StringComparison.Ordinal)) return "quotes are not part of this format";
        if (line.Any(c => char.IsControl(c) && c != '\t')) return "a control character in the line";
        return null;
    }

    public string Get(string[] fields, string column) =>
        _columns.TryGetValue(column, out var i) && i < fields.Length ? fields[i] : "";

    public int Width => _columns.Values.Max() + 1;
}
