using System.Globalization;

namespace Coca.Core.Carbon;

/// <summary>
/// RTE's eCO2mix national data. Two layouts: ODRÉ's export (semicolon-separated, <c>date_heure</c> or <c>Date - Heure</c>
/// with its UTC offset, <c>taux_co2</c> or <c>Taux de CO2 (g/kWh)</c>), and the older annual files (tab- or
/// semicolon-separated, <c>Date</c> and <c>Heures</c> in French local time, <c>Taux de Co2</c>). Local times are
/// placed with the time zone's rules: the hour that does not exist when clocks go forward is a bad line; the hour
/// that happens twice when they go back is read as summer time the first time it appears and winter time the second.
/// </summary>
internal static class Eco2mixFormat
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "yyyy/MM/dd"];
    private static readonly string[] HourFormats = ["HH:mm", "H:mm", "HH:mm:ss"];

    public static void Read(IEnumerable<string> lines, string zone, TimeZoneInfo local, IntensityParseBuilder into)
    {
        int lineNo = 0, offsetTime = -1, date = -1, hour = -1, co2 = -1;
        var separator = ';';
        var seenAmbiguous = new HashSet<DateTime>();
        foreach (var line in lines)
        {
            lineNo++;
            if (co2 < 0)
            {
                separator = CsvFields.SeparatorOf(line);
                var names = CsvFields.Split(line, separator).Select(CsvFields.Normalise).ToList();
                offsetTime = names.FindIndex(n => n is "date_heure" or "date - heure");
                date = names.FindIndex(n => n == "date");
                hour = names.FindIndex(n => n is "heure" or "heures");
                co2 = names.FindIndex(n => n.StartsWith("taux_co2", StringComparison.Ordinal) || n.StartsWith("taux de co2", StringComparison.Ordinal));
                if (co2 < 0) throw new FormatException("not an eCO2mix file: no taux_co2 / Taux de CO2 column in its first line");
                if (offsetTime < 0 && (date < 0 || hour < 0)) throw new FormatException("not an eCO2mix file: neither date_heure nor Date and Heures columns");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            into.LinesRead++;
            var f = CsvFields.Split(line, separator);
            var needed = Math.Max(co2, offsetTime >= 0 ? offsetTime : Math.Max(date, hour));
            if (f.Length <= needed)
            {
                into.Bad(lineNo, $"{f.Length} fields, fewer than the header's columns (a note at the end of the file?)");
                continue;
            }
            if (string.IsNullOrWhiteSpace(f[co2]) || f[co2].Trim() == "ND")
            {
                into.Empty++;
                continue;
            }
            DateTimeOffset time;
            if (offsetTime >= 0)
            {
                if (!DateTimeOffset.TryParse(f[offsetTime].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out time) || !HasOffset(f[offsetTime]))
                {
                    into.Bad(lineNo, $"time '{f[offsetTime].Trim()}' is not ISO 8601 with its offset");
                    continue;
                }
            }
            else if (LocalTime(f[date].Trim(), f[hour].Trim(), local, seenAmbiguous, out time) is { } why)
            {
                into.Bad(lineNo, why);
                continue;
            }
            into.Add(lineNo, zone, time, f[co2], IntensityBasis.Direct);
        }
        if (co2 < 0) throw new FormatException("empty file: no header");
    }

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        return t.EndsWith('Z') || (t.Length > 6 && (t[^6] == '+' || t[^6] == '-') && t[^3] == ':');
    }

    // French local time to an instant; null when it worked, else the reason.
    private static string? LocalTime(string dateText, string hourText, TimeZoneInfo zone, HashSet<DateTime> seenAmbiguous, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(dateText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return $"date '{dateText}' is not YYYY-MM-DD or DD/MM/YYYY";
        if (!DateTime.TryParseExact(hourText, HourFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            return $"hour '{hourText}' is not HH:MM";
        var local = DateTime.SpecifyKind(day.Date + clock.TimeOfDay, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) return $"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (clocks went forward)";
        TimeSpan offset;
        if (zone.IsAmbiguousTime(local))
        {
            // The repeated hour: the file lists it twice, summer time (the larger offset) first.
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            offset = seenAmbiguous.Add(local) ? offsets.Max() : offsets.Min();
        }
        else offset = zone.GetUtcOffset(local);
        time = new DateTimeOffset(local, offset);
        return null;
    }
}
