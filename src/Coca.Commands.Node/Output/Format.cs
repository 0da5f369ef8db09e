using System.Globalization;

namespace Coca.Commands.Node.Output;

/// <summary>Numbers with their units, chosen so that a person reads them at a glance.</summary>
public static class Format
{
    public static string Energy(double joules) => joules switch
    {
        >= 3.6e9 => $"{joules / 3.6e9:0.###} MWh",
        >= 3.6e6 => $"{joules / 3.6e6:0.###} kWh",
        >= 3600 => $"{joules / 3600:0.###} Wh",
        >= 0.001 or 0 => $"{joules:0.###} J",
        _ => $"{joules * 1e6:0.###} µJ",
    };

    public static string Power(double? watts) => watts is { } w && !double.IsNaN(w) ? $"{w:0.##} W" : "-";

    public static string Grams(double grams) => grams switch
    {
        >= 1e6 => $"{grams / 1e6:0.###} t",
        >= 1e3 => $"{grams / 1e3:0.###} kg",
        >= 1 or 0 => $"{grams:0.###} g",
        >= 1e-3 => $"{grams * 1e3:0.###} mg",
        _ => $"{grams * 1e6:0.###} µg",
    };

    public static string Seconds(double s) => s >= 3600
        ? TimeSpan.FromSeconds(s).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture).TrimStart('0', '.')
        : $"{s:0.##} s";
}
