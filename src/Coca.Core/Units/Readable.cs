using System.Globalization;

namespace Coca.Core.Units;

/// <summary>Figures with their units, chosen so that a person reads them at a glance: one wording for every report.</summary>
public static class Readable
{
    public static string Energy(Energy energy) => Joules(energy.Joules);

    public static string Joules(double joules) => joules switch
    {
        >= 3600 => InUnit(joules),
        >= 0.001 or 0 => Invariant($"{joules:0.###} J"),
        _ => Invariant($"{joules * 1e6:0.###} µJ"),
    };

    /// <summary>"(2.33–2.52)": a range in the unit <see cref="Joules"/> chose for <paramref name="central"/>.</summary>
    public static string Range(double central, double low, double high)
    {
        var divisor = UnitOf(central).Divisor;
        return Invariant($"({low / divisor:0.###}–{high / divisor:0.###})");
    }

    private static string InUnit(double joules)
    {
        var (divisor, name) = UnitOf(joules);
        return Invariant($"{joules / divisor:0.###} {name}");
    }

    // The unit a figure of this size reads best in: one choice for a figure and its range.
    private static (double Divisor, string Name) UnitOf(double joules) => joules switch
    {
        >= 3.6e9 => (3.6e9, "MWh"),
        >= 3.6e6 => (3.6e6, "kWh"),
        >= 3600 => (3600, "Wh"),
        _ => (1, "J"),
    };

    public static string Grams(double grams) => grams switch
    {
        >= 1e6 => Invariant($"{grams / 1e6:0.###} t"),
        >= 1e3 => Invariant($"{grams / 1e3:0.###} kg"),
        >= 1 or 0 => Invariant($"{grams:0.###} g"),
        >= 1e-3 => Invariant($"{grams * 1e3:0.###} mg"),
        _ => Invariant($"{grams * 1e6:0.###} µg"),
    };

    /// <summary>A duration as days.hh:mm:ss (days only when there are some).</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
        return t.Days > 0 ? t.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }

    public static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
