using System.Globalization;

namespace Coca.Core.Extrapolation;

/// <summary>One what-if scenario as typed (<c>cancel-zero-gpu-after=2h</c>): its name and its parameter, checked.</summary>
public sealed record WhatIf(string Name, double? Value, string Text)
{
    public const string CancelZeroGpu = "cancel-zero-gpu-after", StopCrashLoops = "stop-crash-loops-after", CapSweeps = "cap-sweeps",
        ReleaseIdleInteractive = "release-idle-interactive-after", StopAtLastGpuActivity = "stop-at-last-gpu-activity", Pue = "pue", Carbon = "carbon";

    /// <summary>What <c>--what-if</c> runs when not given: every scenario with its documented default (pue needs a value).</summary>
    public const string Defaults = "cancel-zero-gpu-after=2h,stop-crash-loops-after=2,cap-sweeps=10,release-idle-interactive-after=1h,stop-at-last-gpu-activity,carbon=hourly-shift";

    public static readonly string[] Names = [CancelZeroGpu, StopCrashLoops, CapSweeps, ReleaseIdleInteractive, StopAtLastGpuActivity, Pue, Carbon];

    /// <summary>The scenarios of a comma-separated list; a bad one throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static IReadOnlyList<WhatIf> ParseList(string list)
    {
        var result = new List<WhatIf>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? raw[..eq] : raw;
            var arg = eq > 0 ? raw[(eq + 1)..] : null;
            result.Add(name switch
            {
                CancelZeroGpu or ReleaseIdleInteractive => new WhatIf(name, Duration(raw, arg), raw),
                StopCrashLoops or CapSweeps => new WhatIf(name, Count(raw, arg), raw),
                StopAtLastGpuActivity => arg is null ? new WhatIf(name, null, raw) : throw new FormatException($"'{raw}': {name} takes no value"),
                Pue => new WhatIf(name, PueValue(raw, arg), raw),
                Carbon => arg == "hourly-shift" ? new WhatIf(name, null, raw) : throw new FormatException($"'{raw}': the only carbon scenario is carbon=hourly-shift"),
                _ => throw new FormatException($"unknown what-if '{name}' (known: {string.Join(", ", Names)})"),
            });
        }
        if (result.Count == 0) throw new FormatException("--what-if names no scenario");
        return result;
    }

    // Seconds from "2h", "90m", "600s": a positive duration up to a year.
    private static double Duration(string raw, string? arg)
    {
        if (arg is { Length: > 1 } && double.TryParse(arg[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0)
        {
            var seconds = arg[^1] switch { 'h' => v * 3600, 'm' => v * 60, 's' => v, _ => double.NaN };
            if (seconds is > 0 and <= 365 * 86_400d) return seconds;
        }
        throw new FormatException($"'{raw}': expected a duration from 1s to 8760h, such as 2h, 90m or 600s");
    }

    private static double Count(string raw, string? arg) =>
        int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000_000 ? n
        : throw new FormatException($"'{raw}': expected a whole number from 1 to 1000000");

    private static double PueValue(string raw, string? arg) =>
        double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p) && p is >= 1 and <= 3 ? p
        : throw new FormatException($"'{raw}': expected a PUE from 1 to 3");
}
