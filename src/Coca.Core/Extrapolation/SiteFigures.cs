using Coca.Core.Numerics;
using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Simulation;

namespace Coca.Core.Extrapolation;

/// <summary>Energy per GPU-hour of one GPU type and end state (<c>completed</c>, <c>not_completed</c>, <c>unknown</c>).</summary>
public sealed record TypeStateFigures(string GpuType, string State, long Jobs, double GpuHours, double EnergyKwh)
{
    public double? KwhPerGpuHour => GpuHours > 0 ? EnergyKwh / GpuHours : null;
}

/// <summary>One calendar month (UTC) of the site: the rebound view's row.</summary>
public sealed record MonthFigures(string Month, long Jobs, double GpuHours, double EnergyKwh)
{
    public double? KwhPerGpuHour => GpuHours > 0 ? EnergyKwh / GpuHours : null;
}

/// <summary>
/// What the site measured, as the extrapolation scales it: GPU jobs whose energy is known (the agents', else Slurm's),
/// their GPU-hours and energy by GPU type and state, the ratio's bootstrap range over jobs, what GPUs at 0 % drew,
/// and the months. Sums cover <see cref="MeasuredGpuJobs"/>; <see cref="UnknownEnergyJobs"/> GPU jobs are left out.
/// </summary>
public sealed record SiteFigures
{
    public long Jobs { get; init; }
    public long GpuJobs { get; init; }
    public long MeasuredGpuJobs { get; init; }
    public long UnknownEnergyJobs { get; init; }
    public double GpuHours { get; init; }
    public double EnergyKwh { get; init; }
    public double? KwhPerGpuHour => GpuHours > 0 ? EnergyKwh / GpuHours : null;

    /// <summary>The ratio's 5th, 50th and 95th percentiles over <see cref="Bootstrap"/> resamples of the jobs, as factors of the ratio itself.</summary>
    public Range3? BootstrapFactor { get; init; }
    public IReadOnlyList<TypeStateFigures> ByTypeAndState { get; init; } = [];

    /// <summary>kWh per GPU-hour of GPU jobs at 0 % utilisation: an idle GPU with its job's CPUs; null when there were none.</summary>
    public double? IdleKwhPerGpuHour { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public double PeriodDays => From is { } f && To is { } t ? Math.Max(1.0 / 24, (t - f).TotalDays) : 0;
    public IReadOnlyList<MonthFigures> Months { get; init; } = [];

    public const int Bootstrap = 500;
    public const ulong BootstrapSeed = 20_260_105;

    public static string StateClass(string? state) => JobStates.HasCompleted(state) switch { true => "completed", false => "not_completed", null => "unknown" };

    public static SiteFigures Of(IReadOnlyList<SiteJob> jobs)
    {
        var gpuJobs = jobs.Where(j => j.Gpus > 0).ToList();
        var measured = gpuJobs.Where(j => j.EnergyJ is not null && j.GpuHours > 0).ToList();
        var byType = measured.GroupBy(j => (Type: j.GpuType ?? "unknown", State: StateClass(j.State)))
            .OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.State, StringComparer.Ordinal)
            .Select(g => new TypeStateFigures(g.Key.Type, g.Key.State, g.LongCount(), g.Sum(j => j.GpuHours), g.Sum(j => j.EnergyJ!.Value) / 3.6e6)).ToList();
        var idle = measured.Where(j => j.GpuUtilisation == 0).ToList();
        var times = jobs.Select(j => j.Submit ?? j.Start).Where(t => t is not null).Select(t => t!.Value).ToList();
        var months = jobs.Where(j => (j.Start ?? j.Submit) is not null && j.EnergyJ is not null)
            .GroupBy(j => (j.Start ?? j.Submit)!.Value.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MonthFigures(g.Key, g.LongCount(), g.Sum(j => j.GpuHours), g.Sum(j => j.EnergyJ!.Value) / 3.6e6)).ToList();
        return new SiteFigures
        {
            Jobs = jobs.Count,
            GpuJobs = gpuJobs.Count,
            MeasuredGpuJobs = measured.Count,
            UnknownEnergyJobs = gpuJobs.Count(j => j.EnergyJ is null),
            GpuHours = measured.Sum(j => j.GpuHours),
            EnergyKwh = measured.Sum(j => j.EnergyJ!.Value) / 3.6e6,
            BootstrapFactor = BootstrapRatio(measured),
            ByTypeAndState = byType,
            IdleKwhPerGpuHour = idle.Count > 0 ? idle.Sum(j => j.EnergyJ!.Value) / 3.6e6 / idle.Sum(j => j.GpuHours) : null,
            From = times.Count > 0 ? times.Min() : null,
            To = jobs.Select(j => j.Start is { } s && j.ElapsedS is { } e ? s.AddSeconds(e) : j.Submit).Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty().Max() is var end && end != default ? end : null,
            Months = months,
        };
    }

    // The energy per GPU-hour of jobs drawn with replacement, as a factor of the whole sample's: how much it moves
    // with which jobs happened to run (the site's sampling uncertainty). Fixed seed: the same jobs give the same range.
    private static Range3? BootstrapRatio(IReadOnlyList<SiteJob> measured)
    {
        if (measured.Count == 0) return null;
        var energy = measured.Select(j => j.EnergyJ!.Value).ToArray();
        var hours = measured.Select(j => j.GpuHours).ToArray();
        var whole = energy.Sum() / hours.Sum();
        var rng = new SplitMix64(BootstrapSeed);
        var ratios = new double[Bootstrap];
        for (var b = 0; b < Bootstrap; b++)
        {
            double e = 0, h = 0;
            for (var i = 0; i < energy.Length; i++)
            {
                var k = (int)(rng.NextUInt64() % (ulong)energy.Length);
                e += energy[k];
                h += hours[k];
            }
            ratios[b] = e / h / whole;
        }
        Array.Sort(ratios);
        return new Range3(ratios[(int)(0.05 * (Bootstrap - 1))], ratios[(Bootstrap - 1) / 2], ratios[(int)Math.Ceiling(0.95 * (Bootstrap - 1))]);
    }

    /// <summary>kWh per GPU-hour of one type (all states), null when the site ran none of it.</summary>
    public double? KwhPerGpuHourOf(string type)
    {
        var rows = ByTypeAndState.Where(r => r.GpuType == type).ToList();
        var hours = rows.Sum(r => r.GpuHours);
        return hours > 0 ? rows.Sum(r => r.EnergyKwh) / hours : null;
    }
}
