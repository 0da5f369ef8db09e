using System.Globalization;
using Coca.Core.Units;

namespace Coca.Commands.Node.Output;

/// <summary>Numbers with their units for the terminal tables: energy and mass as every report writes them (<see cref="Readable"/>).</summary>
public static class Format
{
    public static string Energy(double joules) => Readable.Joules(joules);

    public static string Power(double? watts) => watts is { } w && !double.IsNaN(w) ? $"{w:0.##} W" : "-";

    public static string Grams(double grams) => Readable.Grams(grams);

    public static string Seconds(double s) => s >= 3600
        ? TimeSpan.FromSeconds(s).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture).TrimStart('0', '.')
        : $"{s:0.##} s";
}
