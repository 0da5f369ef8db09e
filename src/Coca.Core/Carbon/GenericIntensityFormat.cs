using System.Globalization;

namespace Coca.Core.Carbon;

/// <summary><c>time,zone,g_per_kwh</c> with a header, in any column order; time in ISO 8601 with its offset; an empty zone takes the one given.</summary>
internal static class GenericIntensityFormat
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
                time = names.IndexOf("time");
                zoneColumn = names.IndexOf("zone");
                figure = names.IndexOf("g_per_kwh");
                if (time < 0 || figure < 0) throw new FormatException("the header must name time and g_per_kwh (and zone, or give --zone)");
                if (zoneColumn < 0 && zone is null) throw new FormatException("no zone column: give --zone");
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
            var text = f[time].Trim();
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ||
                !(text.EndsWith('Z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-'))))
            {
                into.Bad(lineNo, $"time '{text}' is not ISO 8601 with its offset");
                continue;
            }
            var z = zoneColumn >= 0 && f[zoneColumn].Trim().Length > 0 ? f[zoneColumn].Trim() : zone;
            if (z is null || z.Any(char.IsControl))
            {
                into.Bad(lineNo, "no zone");
                continue;
            }
            into.Add(lineNo, z, t, f[figure], basis);
        }
        if (figure < 0) throw new FormatException("empty file: no header");
    }
}
