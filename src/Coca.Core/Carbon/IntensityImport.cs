namespace Coca.Core.Carbon;

/// <summary>The file layouts <c>coca carbon series import</c> reads.</summary>
public enum IntensityFormat
{
    /// <summary>RTE's eCO2mix (ODRÉ export or the older annual files): <c>taux_co2</c>, direct emissions of French generation.</summary>
    Eco2mix,

    /// <summary>The Electricity Maps data-portal CSV: direct and life-cycle figures per hour and zone.</summary>
    ElectricityMaps,

    /// <summary><c>time,zone,g_per_kwh</c>, time in ISO 8601 with its offset.</summary>
    Csv,
}

/// <summary>Whether a figure counts the fuel burnt only (<c>direct</c>) or the plants' whole life cycle (<c>lifecycle</c>).</summary>
public static class IntensityBasis
{
    public const string Direct = "direct";
    public const string Lifecycle = "lifecycle";

    public static bool IsKnown(string basis) => basis is Direct or Lifecycle;
}

/// <summary>One figure of a series, ready to store.</summary>
public sealed record IntensityRow(string Zone, DateTimeOffset Time, double GramsPerKwh, string Basis);

/// <summary>
/// A file read: the good rows (each (zone, time) once), how many data lines there were, how many carried no figure
/// (an empty <c>taux_co2</c>: eCO2mix leaves the future and some quarter-hours blank), and a one-line reason for
/// each bad line, which is skipped alone.
/// </summary>
public sealed record IntensityParse(IReadOnlyList<IntensityRow> Rows, int LinesRead, int Empty, IReadOnlyList<string> Problems);

/// <summary>Reads a series file's lines in one of the <see cref="IntensityFormat"/>s. Pure: the caller opens the file and names the time zone.</summary>
public static class IntensityImport
{
    /// <param name="zone">The zone to file the rows under (eCO2mix and csv rows without one); eCO2mix defaults to <c>FR</c>.</param>
    /// <param name="basis">For Electricity Maps, which column to read; for csv, what its figures are. eCO2mix's are direct.</param>
    /// <param name="localZone">eCO2mix's older files give French local time: Europe/Paris, passed in (Core reads no tz database).</param>
    public static IntensityParse Parse(IEnumerable<string> lines, IntensityFormat format, string? zone, string basis, TimeZoneInfo localZone)
    {
        if (!IntensityBasis.IsKnown(basis)) throw new ArgumentException($"basis must be {IntensityBasis.Direct} or {IntensityBasis.Lifecycle}, got '{basis}'");
        var builder = new IntensityParseBuilder();
        switch (format)
        {
            case IntensityFormat.Eco2mix: Eco2mixFormat.Read(lines, zone ?? "FR", localZone, builder); break;
            case IntensityFormat.ElectricityMaps: ElectricityMapsFormat.Read(lines, zone, basis, builder); break;
            default: GenericIntensityFormat.Read(lines, zone, basis, builder); break;
        }
        return builder.Build();
    }
}

/// <summary>Collects rows and problems as a format reads; a (zone, time) seen twice keeps the first and reports the second.</summary>
internal sealed class IntensityParseBuilder
{
    private readonly List<IntensityRow> _rows = [];
    private readonly Dictionary<(string, DateTimeOffset), int> _lineOf = [];
    private readonly List<string> _problems = [];

    public int LinesRead { get; set; }
    public int Empty { get; set; }

    public void Bad(int line, string why) => _problems.Add($"line {line}: {why}");

    public void Add(int line, string zone, DateTimeOffset time, string figure, string basis)
    {
        if (!double.TryParse(figure.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var g) ||
            !double.IsFinite(g) || g < 0 || g > 5000)
        {
            Bad(line, $"intensity '{figure.Trim()}' is not a number from 0 to 5000 g/kWh");
            return;
        }
        var key = (zone, time.ToUniversalTime());
        if (_lineOf.TryGetValue(key, out var first))
        {
            Bad(line, $"{zone} {time.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} already given on line {first}; kept the first");
            return;
        }
        _lineOf[key] = line;
        _rows.Add(new IntensityRow(zone, time.ToUniversalTime(), g, basis));
    }

    public IntensityParse Build() => new(_rows, LinesRead, Empty, _problems);
}
