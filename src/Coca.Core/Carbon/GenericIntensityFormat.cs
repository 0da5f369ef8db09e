using System.Globalization;

namespace Coca.Core.Carbon;

/// <summary><c>time,zone,g_per_kwh</c> with a header, in any column order; time in ISO 8601 with its offset; an empty zone takes the one given.</summary>
internal static class GenericIntensityFormat
{
    public static void Read(IEnumerable<string> lines, string? zone, string basis, IntensityParseBuilder into) => HeaderedCsv.Read(lines, into, names =>
    {
        var columns = new HeaderedCsv.Columns(names.IndexOf("time"), names.IndexOf("zone"), names.IndexOf("g_per_kwh"));
        if (columns.Time < 0 || columns.Figure < 0) throw new FormatException("the header must name time and g_per_kwh (and zone, or give --zone)");
        if (columns.Zone < 0 && zone is null) throw new FormatException("no zone column: give --zone");
        return columns;
    }, (lineNo, f, c) =>
    {
        var text = f[c.Time].Trim();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ||
            !(text.EndsWith('Z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-'))))
        {
            into.Bad(lineNo, $"time '{text}' is not ISO 8601 with its offset");
            return;
        }
        var z = c.Zone >= 0 && f[c.Zone].Trim().Length > 0 ? f[c.Zone].Trim() : zone;
        if (z is null || z.Any(char.IsControl))
        {
            into.Bad(lineNo, "no zone");
            return;
        }
        into.Add(lineNo, z, t, f[c.Figure], basis);
    });
}
