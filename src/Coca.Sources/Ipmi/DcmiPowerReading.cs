using System.Globalization;
using System.Text.RegularExpressions;

namespace Coca.Sources.Ipmi;

/// <summary>
/// A DCMI power reading (DCMI 1.5 Get Power Reading) as <c>ipmitool dcmi power reading</c> or FreeIPMI's
/// <c>ipmi-dcmi --get-system-power-statistics</c> prints it. A figure the output does not give is null.
/// </summary>
public sealed record DcmiPowerReading(
    double? InstantWatts,
    double? MinimumWatts,
    double? MaximumWatts,
    double? AverageWatts,
    DateTimeOffset? Timestamp,
    double? SamplingPeriodSeconds,
    bool? Active)
{
    /// <summary>
    /// Parses either tool's output. ipmitool 1.8.18 prints <c>IPMI timestamp: Mon Aug  1 21:22:51 2016</c> and
    /// <c>Sampling period: 00699043 Seconds.</c>; 1.8.19 right-aligns the watts, prints the timestamp as
    /// <c>08/01/16 21:22:51</c> and the period as <c>699043 seconds</c>; FreeIPMI writes <c>Current Power : 165 Watts</c>,
    /// <c>Time Stamp : 08/01/2016 - 21:22:51</c> and <c>Statistics reporting time period : 1000 milliseconds</c>.
    /// A <see cref="FormatException"/> when no power figure is found (an error message, another command's output).
    /// </summary>
    public static DcmiPowerReading Parse(string output)
    {
        double? instant = null, min = null, max = null, average = null, period = null;
        DateTimeOffset? stamp = null;
        bool? active = null;
        foreach (var raw in output.Split('\n'))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var key = raw[..colon].Trim().ToLowerInvariant();
            var value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "instantaneous power reading" or "current power": instant = Watts(value); break;
                case "minimum during sampling period" or "minimum power over sampling duration": min = Watts(value); break;
                case "maximum during sampling period" or "maximum power over sampling duration": max = Watts(value); break;
                case "average power reading over sample period" or "average power over sampling duration": average = Watts(value); break;
                case "ipmi timestamp" or "time stamp": stamp = ParseTimestamp(value); break;
                case "sampling period" or "statistics reporting time period": period = Period(value); break;
                case "power reading state is" or "power measurement": active = value.StartsWith("activ", StringComparison.OrdinalIgnoreCase); break;
            }
        }
        if (instant is null && average is null) throw new FormatException("no DCMI power reading in the output");
        return new DcmiPowerReading(instant, min, max, average, stamp, period, active);
    }

    private static double? Watts(string value)
    {
        var m = Regex.Match(value, @"^(\d+(?:\.\d+)?)\s*watts?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && double.IsFinite(w) ? w : null;
    }

    private static double? Period(string value)
    {
        var m = Regex.Match(value, @"^(\d+(?:\.\d+)?)\s*(milliseconds|ms|seconds?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return null;
        return m.Groups[2].Value.StartsWith('m') ? n / 1000 : n;
    }

    private static readonly string[] TimestampFormats = ["ddd MMM d HH:mm:ss yyyy", "MM/dd/yy HH:mm:ss", "MM/dd/yyyy - HH:mm:ss", "MM/dd/yyyy HH:mm:ss"];

    // The BMC's clock, in UTC as the tools print it: only compared with the previous reading's, to tell a repeat.
    private static DateTimeOffset? ParseTimestamp(string value)
    {
        var squeezed = Regex.Replace(value.Replace(" UTC", "", StringComparison.Ordinal), @"\s+", " ").Trim();
        return DateTimeOffset.TryParseExact(squeezed, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
