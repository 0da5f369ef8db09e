namespace Coca.Core.Carbon;

/// <summary>
/// The frame the headered intensity CSVs share: the first line is the header (its separator guessed from it), blank
/// lines are skipped, a row with fewer fields than the columns it needs is bad on its own, and a file without a header is
/// an error. Each format says only which columns it reads and what one row means.
/// </summary>
internal static class HeaderedCsv
{
    /// <summary>The columns a format reads: a zone column of -1 means the zone is given, not read.</summary>
    public readonly record struct Columns(int Time, int Zone, int Figure)
    {
        public int Last => Math.Max(Time, Math.Max(Figure, Zone));
    }

    /// <param name="locate">The columns, from the header's normalised names; throws a <see cref="FormatException"/> when one is missing.</param>
    /// <param name="row">One row: its line number and fields.</param>
    public static void Read(IEnumerable<string> lines, IntensityParseBuilder into, Func<List<string>, Columns> locate, Action<int, string[], Columns> row)
    {
        var lineNo = 0;
        var separator = ',';
        Columns? columns = null;
        foreach (var line in lines)
        {
            lineNo++;
            if (columns is null)
            {
                separator = CsvFields.SeparatorOf(line);
                columns = locate(CsvFields.Split(line, separator).Select(CsvFields.Normalise).ToList());
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            into.LinesRead++;
            var f = CsvFields.Split(line, separator);
            if (f.Length <= columns.Value.Last)
            {
                into.Bad(lineNo, $"{f.Length} fields, fewer than the header's columns");
                continue;
            }
            row(lineNo, f, columns.Value);
        }
        if (columns is null) throw new FormatException("empty file: no header");
    }
}
