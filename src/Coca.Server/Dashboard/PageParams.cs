using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary>A page's query string read once and checked: dates, short text without control characters, bounded whole numbers.</summary>
internal static class PageParams
{
    public static string? Text(HttpContext http, string name)
    {
        var value = http.Request.Query[name].ToString().Trim();
        if (value.Length == 0) return null;
        if (value.Length > 256 || value.Any(char.IsControl)) throw new BadPageRequest($"{name} is at most 256 characters, without control characters");
        return value;
    }

    public static DateTimeOffset? Date(HttpContext http, string name)
    {
        if (Text(http, name) is not { } text) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
        {
            throw new BadPageRequest($"{name} must be a date, e.g. 2026-03-01");
        }
        return d;
    }

    public static int Whole(HttpContext http, string name, int fallback, int min, int max)
    {
        if (Text(http, name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new BadPageRequest($"{name} must be a whole number from {min} to {max}");
        }
        return n;
    }

    public static string Day(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
