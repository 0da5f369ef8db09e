using System.Globalization;

namespace Coca.Core.Carbon;

/// <summary>
/// The Electricity Maps data portal's CSV: <c>Datetime (UTC)</c>, <c>Zone id</c>, <c>Carbon intensity gCO₂eq/kWh
/// (direct)</c> and <c>(Life cycle)</c>, one row an hour. The basis chooses the column; the zone is the row's
/// <c>Zone id</c> unless one is given.
/// </summary>
internal static class ElectricityMapsFormat
{
    public static void Read(IEnumerable<string> lines, string? zone, string basis, IntensityParseBuilder into)
    {
        int lineNo = 0, time = -1, zoneColumn = -1, figure = -1;
        var separator = ',';
        foreach (var line in lines)
        {
            lineNo++;
            if (figure < 0)
            {
                separator = CsvFields.SeparatorOf(line);
                var names = CsvFields.Split(line, separator).Select(CsvFields.Normalise).ToList();
                time = names.FindIndex(n => n == "datetime (utc)");
                zoneColumn = names.FindIndex(n => n == "zone id");
                var wanted = basis == IntensityBasis.Direct ? "(direct)" : "(life cycle)";
                figure = names.FindIndex(n => n.StartsWith("carbon intensity", StringComparison.Ordinal) && n.EndsWith(wanted, StringComparison.Ordinal));
                if (time < 0 || figure < 0) throw new FormatException($"not an Electricity Maps file: needs 'Datetime (UTC)' and 'Carbon intensity gCO₂eq/kWh {wanted}' columns");
                if (zoneColumn < 0 && zone is null) throw new FormatException("no 'Zone id' column: give --zone");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            into.LinesRead++;
            var f = CsvFields.Split(line, separator);
            if (f.Length <= Math.Max(time, Math.Max(figure, zoneColumn)))
            {
                into.Bad(lineNo, $"{f.Length} fields, fewer than the header's columns");
                continue;
            }
            if (string.IsNullOrWhiteSpace(f[figure]))
            {
                into.Empty++;
                continue;
            }
            if (!DateTimeOffset.TryParse(f[time].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                into.Bad(lineNo, $"time '{f[time].Trim()}' is not a UTC date and time");
                continue;
            }
            var z = zone ?? f[zoneColumn].Trim();
            if (z.Length == 0 || z.Any(char.IsControl))
            {
                into.Bad(lineNo, "empty zone id");
                continue;
            }
            into.Add(lineNo, z, t, f[figure], basis);
        }
        if (figure < 0) throw new FormatException("empty file: no header");
    }
}
