using System.Globalization;

namespace Coca.Core.Attribution.Offline;

/// <summary>Times in recorded files: Unix seconds (fractions allowed, 0 to 1e11) or ISO 8601 with an explicit offset.</summary>
public static class TimeParser
{
    /// <summary>Year 5138: far enough for any recording, near enough that differences of times stay exact to the µs.</summary>
    public const double MaxUnixSeconds = 1e11;

    public static bool TryParse(string text, out double unixSeconds, out string? error)
    {
        error = null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out unixSeconds))
        {
            if (unixSeconds is >= 0 and <= MaxUnixSeconds) return true;
            error = $"time '{text}' is out of range (Unix seconds from 0 to 1e11)";
            return false;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal) && text.Contains('T', StringComparison.Ordinal);
            if (!hasOffset)
            {
                error = $"time '{text}' has no UTC offset (write 2026-05-01T12:00:00+02:00 or Unix seconds)";
                return false;
            }
            unixSeconds = t.ToUnixTimeMilliseconds() / 1000.0;
            return true;
        }
        error = $"time '{text}' is neither Unix seconds nor ISO 8601";
        return false;
    }
}
