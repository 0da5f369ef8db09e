namespace Coca.Core.Attribution.Offline;

/// <summary>A plain comma-separated file with a header line, read by column name. Quotes are not part of these formats.</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(Dictionary<string, int> columns, List<(int Line, string[] Fields)> rows)
    {
        _columns = columns;
        Rows = rows;
    }

    public List<(int Line, string[] Fields)> Rows { get; }

    public static CsvTable Parse(string text, IReadOnlyList<string> required, string what)
    {
        var lines = text.Split('\n');
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0) throw new FormatException($"{what}: empty file, expected a header line '{string.Join(',', required)}'");
        var header = lines[headerIndex].Trim().TrimStart('\uFEFF').Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var columns = header.Select((h, i) => (h, i)).GroupBy(p => p.h).ToDictionary(g => g.Key, g => g.First().i);
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0) throw new FormatException($"{what}: header lacks column(s) {string.Join(", ", missing)}; expected '{string.Join(',', required)}'");
        var rows = new List<(int, string[])>();
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            rows.Add((i + 1, line.Split(',').Select(f => f.Trim()).ToArray()));
        }
        return new CsvTable(columns, rows);
    }

    public string Get(string[] fields, string column) =>
        _columns.TryGetValue(column, out var i) && i < fields.Length ? fields[i] : "";

    public int Width => _columns.Values.Max() + 1;
}
