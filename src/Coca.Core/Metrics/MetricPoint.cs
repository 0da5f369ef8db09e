using System.Globalization;
using System.Text.RegularExpressions;

namespace Coca.Core.Metrics;

/// <summary>
/// One value a training script reported (accuracy, loss…): its name, the value, the step it belongs to, and when.
/// A step or a time that was not given is null, never 0.
/// </summary>
public sealed partial record MetricPoint(string Name, double Value, long? Step, DateTimeOffset? Time)
{
    public const int MaxNameLength = 128;

    /// <summary>Letters, digits and <c>_ . : / -</c>: names travel in CSV, paths and URLs untouched.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>A value from text: finite, invariant culture; the reason otherwise.</summary>
    public static bool TryParseValue(string text, out double value, out string? error)
    {
        error = null;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            error = $"value '{Shown(text)}' is not a finite number";
            return false;
        }
        return true;
    }

    /// <summary>A step from text: a whole number ≥ 0; empty is no step.</summary>
    public static bool TryParseStep(string text, out long? step, out string? error)
    {
        step = null;
        error = null;
        if (text.Trim().Length == 0) return true;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            error = $"step '{Shown(text)}' is not a whole number ≥ 0";
            return false;
        }
        step = s;
        return true;
    }

    /// <summary>A time from text: ISO 8601 with an offset or Z, or Unix seconds; empty is no time.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset? time, out string? error)
    {
        time = null;
        error = null;
        var t = text.Trim();
        if (t.Length == 0) return true;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsFinite(seconds) && seconds >= 0 && seconds < 253402300800)
            {
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                return true;
            }
        }
        else if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }
        error = $"time '{Shown(text)}' is neither ISO 8601 nor Unix seconds";
        return false;
    }

    internal static string Shown(string text) =>
        string.Concat(text.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex(@"^[A-Za-z0-9_.:/\-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
