using System.Globalization;

namespace Coca.Commands.Node.Config;

/// <summary>
/// What a number a user gives may be: finite, within [<see cref="Min"/>, <see cref="Max"/>], in a stated unit. The one
/// check every number from a flag, the environment or the configuration file goes through (<see cref="CocaSettings"/>),
/// so that <c>NaN</c>, <c>Infinity</c>, <c>1e309</c>, <c>0</c> or <c>1e12</c> seconds end in one line and exit 2.
/// </summary>
/// <param name="Unit">"seconds", "days", "gCO2e/kWh"; empty for a ratio.</param>
/// <param name="Whole">Only whole numbers (a count).</param>
public sealed record NumberRange(double Min, double Max, string Unit, bool Whole = false)
{
    /// <summary>Any finite number: for a setting that has no range of its own yet.</summary>
    public static readonly NumberRange Finite = new(double.MinValue, double.MaxValue, "");

    public static NumberRange Seconds(double min, double max) => new(min, max, "seconds");

    /// <summary>The value, or a <see cref="UsageException"/> naming the flag, the range and where the value came from.</summary>
    /// <param name="name">The flag, <c>--interval</c>.</param>
    /// <param name="source">Where it came from when not the flag: <c>COCA_INTERVAL</c>, <c>/etc/coca/config.toml [agent] interval</c>.</param>
    public double Check(double value, string name, string? source = null)
    {
        if (double.IsFinite(value) && value >= Min && value <= Max && (!Whole || Math.Floor(value) == value)) return value;
        var shown = double.IsNaN(value) ? "NaN" : double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : value > 0 ? "Infinity (too large)" : "-Infinity";
        throw new UsageException($"{name} must be {Describe()}, got {shown}{(source is null ? "" : $" ({source})")}");
    }

    /// <summary>"a positive number of seconds from 0.01 to 3600", as the error and the README say it.</summary>
    public string Describe()
    {
        if (ReferenceEquals(this, Finite)) return "a finite number";
        var kind = Whole ? "a whole number" : Min is > 0 and < 1 ? "a positive number" : "a number";
        var unit = Unit.Length == 0 ? "" : Unit.Contains('/', StringComparison.Ordinal) ? $" in {Unit}" : $" of {Unit}";
        return $"{kind}{unit} from {Text(Min)} to {Text(Max)}";
    }

    private static string Text(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
