using System.Globalization;

namespace Coca.Core.Extrapolation;

/// <summary>
/// A target centre (docs/extrapolate.md): its GPUs by type with each type's TDP, and as [low, mid, high] the share of
/// GPU-hours allocated over a year, its PUE, its grid's carbon intensity and the draw of an unallocated GPU with its
/// node's share; optionally its grid's intensity by hour of day, for <c>carbon=hourly-shift</c>.
/// </summary>
public sealed record TargetProfile
{
    public required string Name { get; init; }
    public required IReadOnlyDictionary<string, int> Gpus { get; init; }
    public required IReadOnlyDictionary<string, double> TdpW { get; init; }
    public required Range3 Utilisation { get; init; }
    public required Range3 Pue { get; init; }
    public required Range3 CarbonGPerKwh { get; init; }
    public required Range3 IdleW { get; init; }

    /// <summary>24 values, gCO2e/kWh at each hour of the day (UTC); null when the target gives none.</summary>
    public IReadOnlyList<double>? CarbonHourly { get; init; }

    public int GpuCount => Gpus.Values.Sum();

    public const int MaxGpus = 10_000_000;

    /// <summary>
    /// The profile from a TOML file's keys (<c>table.key</c> → text, as the TOML reader gives them), every number
    /// checked with its range and unit; else the first problem, naming the key.
    /// </summary>
    public static TargetProfile Read(IReadOnlyDictionary<string, string> keys, string source, out string? problem)
    {
        problem = null;
        try
        {
            var known = new[] { "name", "gpus.", "tdp_w.", "utilisation.", "pue.", "carbon.", "idle_w.", "carbon_hourly." };
            if (keys.Keys.FirstOrDefault(k => !known.Any(p => p.EndsWith('.') ? k.StartsWith(p, StringComparison.Ordinal) : k == p)) is { } unknown)
            {
                throw new FormatException($"unknown key '{unknown}' (known: name, [gpus], [tdp_w], [utilisation], [pue], [carbon], [idle_w], [carbon_hourly])");
            }
            var name = keys.TryGetValue("name", out var n) && n.Trim().Length > 0 ? n.Trim() : throw new FormatException("'name' is missing");
            var gpus = keys.Where(k => k.Key.StartsWith("gpus.", StringComparison.Ordinal))
                .ToDictionary(k => k.Key[5..].ToLowerInvariant(), k => (int)Number(k.Key, k.Value, 1, MaxGpus, "GPUs", whole: true), StringComparer.Ordinal);
            if (gpus.Count == 0) throw new FormatException("[gpus] must give at least one GPU type and its count (a100 = 416)");
            var tdp = keys.Where(k => k.Key.StartsWith("tdp_w.", StringComparison.Ordinal))
                .ToDictionary(k => k.Key[6..].ToLowerInvariant(), k => Number(k.Key, k.Value, 1, 5_000, "W"), StringComparer.Ordinal);
            if (gpus.Keys.FirstOrDefault(t => !tdp.ContainsKey(t)) is { } missing) throw new FormatException($"[tdp_w] has no {missing} (each type of [gpus] needs its TDP in W)");
            double[]? hourly = null;
            if (keys.Keys.Any(k => k.StartsWith("carbon_hourly.", StringComparison.Ordinal)))
            {
                hourly = new double[24];
                for (var h = 0; h < 24; h++)
                {
                    var key = string.Create(CultureInfo.InvariantCulture, $"carbon_hourly.h{h:00}");
                    hourly[h] = keys.TryGetValue(key, out var v) ? Number(key, v, 0, 2_000, "gCO2e/kWh") : throw new FormatException($"[carbon_hourly] needs h00 to h23; {key} is missing");
                }
            }
            return new TargetProfile
            {
                Name = name,
                Gpus = gpus,
                TdpW = tdp,
                Utilisation = Range(keys, "utilisation", 0.001, 1, ""),
                Pue = Range(keys, "pue", 1, 3, ""),
                CarbonGPerKwh = Range(keys, "carbon", 0, 2_000, "gCO2e/kWh"),
                IdleW = Range(keys, "idle_w", 0, 5_000, "W"),
                CarbonHourly = hourly,
            };
        }
        catch (FormatException e)
        {
            problem = $"{source}: {e.Message}";
            return null!;
        }
    }

    private static Range3 Range(IReadOnlyDictionary<string, string> keys, string table, double min, double max, string unit)
    {
        double Get(string k) => keys.TryGetValue($"{table}.{k}", out var v) ? Number($"{table}.{k}", v, min, max, unit) : throw new FormatException($"[{table}] {k} is missing (low, mid and high are required)");
        var r = new Range3(Get("low"), Get("mid"), Get("high"));
        if (!(r.Low <= r.Mid && r.Mid <= r.High)) throw new FormatException($"[{table}] must have low ≤ mid ≤ high");
        return r;
    }

    private static double Number(string key, string text, double min, double max, string unit, bool whole = false)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min || v > max || (whole && Math.Floor(v) != v))
        {
            var what = whole ? "a whole number" : "a number";
            throw new FormatException($"{key} must be {what}{(unit.Length > 0 ? " of " + unit : "")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
        }
        return v;
    }
}
