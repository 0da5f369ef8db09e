using System.Globalization;

namespace Coca.Core.Carbon;

/// <summary>
/// The Electricity Maps data portal's CSV: <c>Datetime (UTC)</c>, <c>Zone id</c>, <c>Carbon intensity gCO₂eq/kWh
/// (direct)</c> and <c>(Life cycle)</c>, one row an hour. The basis chooses the column; the zone is the row's
/// <c>Zone id</c> unless one is given.
/// </summary>
internal static class ElectricityMapsFormat
{
    public static void Read(IEnumerable<string> lines, string? zone, string basis, IntensityParseBuilder into) => HeaderedCsv.Read(lines, into, names =>
    {
        var wanted = basis == IntensityBasis.Direct ? "(direct)" : "(life cycle)";
        var columns = new HeaderedCsv.Columns(names.FindIndex(n => n == "datetime (utc)"), names.FindIndex(n => n == "zone id"),
            names.FindIndex(n => n.StartsWith("carbon intensity", StringComparison.Ordinal) && n.EndsWith(wanted, StringComparison.Ordinal)));
        if (columns.Time < 0 || columns.Figure < 0) throw new FormatException($"not an Electricity Maps file: needs 'Datetime (UTC)' and 'Carbon intensity gCO₂eq/kWh {wanted}' columns");
        if (columns.Zone < 0 && zone is null) throw new FormatException("no 'Zone id' column: give --zone");
        return columns;
    }, (lineNo, f, c) =>
    {
        if (string.IsNullOrWhiteSpace(f[c.Figure]))
        {
            into.Empty++;
            return;
        }
        if (!DateTimeOffset.TryParse(f[c.Time].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            into.Bad(lineNo, $"time '{f[c.Time].Trim()}' is not a UTC date and time");
            return;
        }
        var z = zone ?? f[c.Zone].Trim();
        if (z.Length == 0 || z.Any(char.IsControl))
        {
            into.Bad(lineNo, "empty zone id");
            return;
        }
        into.Add(lineNo, z, t, f[c.Figure], basis);
    });
}
