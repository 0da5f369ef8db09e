using Coca.Core.Accounting;
using Coca.Core.Analysis;

namespace Coca.Core.Extrapolation;

/// <summary>What a scenario saves at the site: IT energy (kWh) of its GPU jobs, or grams of CO2e for the carbon shift; null with a reason when unknown.</summary>
public sealed record SiteSaving(double? Kwh, double? Grams, long Jobs, string? Reason)
{
    /// <summary>For the carbon shift: the saved grams as a share of the jobs' emissions at the hours they ran.</summary>
    public double? GramsShare { get; init; }
}

/// <summary>
/// Each what-if applied to the site's own jobs (docs/extrapolate.md): what they would have drawn under the rule,
/// taken from what they drew. Runs (crash loops, sweeps) are read as <c>coca behaviours</c> reads them: one user,
/// one fingerprint, in submission order, with its gaps (<see cref="BehaviourRules"/>); a job array is one sweep.
/// </summary>
public static class WhatIfSavings
{
    public static SiteSaving Of(WhatIf scenario, IReadOnlyList<SiteJob> jobs, BehaviourRules rules, IReadOnlyList<double>? hourlyCarbon, double sitePue)
    {
        var measured = jobs.Where(j => j.EnergyJ is not null && j.ElapsedS is > 0).ToList();
        switch (scenario.Name)
        {
            case WhatIf.CancelZeroGpu:
                return Cut(measured.Where(j => j.Gpus > 0 && j.GpuUtilisation == 0), scenario.Value!.Value);
            case WhatIf.ReleaseIdleInteractive:
                return Cut(measured.Where(j => j.Gpus > 0 && j.Interactive && j.GpuUtilisation is { } u && u <= rules.IdleInteractiveUtilisation), scenario.Value!.Value);
            case WhatIf.StopAtLastGpuActivity:
                var tails = measured.Where(j => j.EnergyAfterLastGpuActivityJ is > 0).ToList();
                return new SiteSaving(tails.Sum(j => j.EnergyAfterLastGpuActivityJ!.Value) / 3.6e6, null, tails.Count,
                    tails.Count == 0 && measured.All(j => j.EnergyAfterLastGpuActivityJ is null) ? "no agent measured when the jobs' GPUs went quiet" : null);
            case WhatIf.StopCrashLoops:
                return Whole(CrashLoopExcess(jobs, rules, (int)scenario.Value!.Value));
            case WhatIf.CapSweeps:
                return Whole(SweepExcess(jobs, rules, (int)scenario.Value!.Value));
            case WhatIf.Pue:
                var it = measured.Sum(j => j.EnergyJ!.Value) / 3.6e6;
                return new SiteSaving(it * (sitePue - scenario.Value!.Value), null, measured.Count, null);
            case WhatIf.Carbon:
                return hourlyCarbon is null ? new SiteSaving(0, null, 0, "the target gives no hourly carbon intensity ([carbon_hourly] h00 to h23)") : Shift(measured, hourlyCarbon);
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario.Name, "not a what-if");
        }
    }

    // Jobs stopped after `after` seconds: the energy of the rest of their run (power taken as even over the run).
    private static SiteSaving Cut(IEnumerable<SiteJob> jobs, double after)
    {
        var cut = jobs.Where(j => j.ElapsedS > after).ToList();
        return new SiteSaving(cut.Sum(j => j.EnergyJ!.Value * (1 - after / j.ElapsedS!.Value)) / 3.6e6, null, cut.Count, null);
    }

    private static SiteSaving Whole(List<SiteJob> notRun) => new(notRun.Sum(j => j.EnergyJ ?? 0) / 3.6e6, null, notRun.Count, null);

    private static IEnumerable<SiteJob> Ordered(IReadOnlyList<SiteJob> jobs) =>
        jobs.Where(j => (j.Submit ?? j.Start) is not null).OrderBy(j => (j.Submit ?? j.Start)!.Value).ThenBy(j => j.JobId, StringComparer.Ordinal);

    /// <summary>The failed jobs of a crash loop after its first <paramref name="keep"/>: those a retry limit would not have run.</summary>
    public static List<SiteJob> CrashLoopExcess(IReadOnlyList<SiteJob> jobs, BehaviourRules rules, int keep)
    {
        var chains = new Dictionary<(string, long), (int Count, DateTimeOffset Last)>();
        var excess = new List<SiteJob>();
        foreach (var j in Ordered(jobs).Where(j => j.Fingerprint != 0 && j.User is not null && j.ArrayJobId is null))
        {
            var key = (j.User!, j.Fingerprint);
            var t = (j.Submit ?? j.Start)!.Value;
            switch (JobStates.HasCompleted(j.State))
            {
                case true:
                    chains.Remove(key);
                    break;
                case false:
                    var (count, last) = chains.GetValueOrDefault(key);
                    if (count > 0 && (t - last).TotalHours > rules.CrashLoopHours) count = 0;
                    if (count >= keep) excess.Add(j);
                    chains[key] = (count + 1, t);
                    break;
            }
        }
        return excess;
    }

    /// <summary>The runs of a sweep after its first <paramref name="cap"/> (a job array's tasks, or one fingerprint's jobs submitted close together).</summary>
    public static List<SiteJob> SweepExcess(IReadOnlyList<SiteJob> jobs, BehaviourRules rules, int cap)
    {
        var chains = new Dictionary<(string, long), (int Count, DateTimeOffset Last)>();
        var arrays = new Dictionary<string, int>(StringComparer.Ordinal);
        var excess = new List<SiteJob>();
        foreach (var j in Ordered(jobs))
        {
            if (j.ArrayJobId is { } array)
            {
                var n = arrays.GetValueOrDefault(array);
                if (n >= cap) excess.Add(j);
                arrays[array] = n + 1;
                continue;
            }
            if (j.Fingerprint == 0 || j.User is null) continue;
            var key = (j.User, j.Fingerprint);
            var t = (j.Submit ?? j.Start)!.Value;
            var (count, last) = chains.GetValueOrDefault(key);
            if (count > 0 && (t - last).TotalMinutes > rules.SweepMinutes) count = 0;
            if (count >= cap) excess.Add(j);
            chains[key] = (count + 1, t);
        }
        return excess;
    }

    // Deferrable jobs (batch, up to a day) started at the hour of the day whose run is cleanest; grams saved by the target's hourly intensity.
    private static SiteSaving Shift(List<SiteJob> jobs, IReadOnlyList<double> hourly)
    {
        double saved = 0, total = 0;
        long moved = 0;
        foreach (var j in jobs.Where(j => j.Start is not null))
        {
            var s = j.Start!.Value.UtcDateTime;
            total += j.EnergyJ!.Value / 3.6e6 * MeanIntensity(hourly, s.Hour + s.Minute / 60.0, j.ElapsedS!.Value / 3600.0);
        }
        foreach (var j in jobs.Where(j => !j.Interactive && j.Start is not null && j.ElapsedS <= 86_400))
        {
            var start = j.Start!.Value.UtcDateTime;
            var actual = MeanIntensity(hourly, start.Hour + start.Minute / 60.0, j.ElapsedS!.Value / 3600.0);
            var best = Enumerable.Range(0, 24).Min(h => MeanIntensity(hourly, h, j.ElapsedS!.Value / 3600.0));
            if (best >= actual) continue;
            saved += j.EnergyJ!.Value / 3.6e6 * (actual - best);
            moved++;
        }
        return new SiteSaving(0, saved, moved, null) { GramsShare = total > 0 ? saved / total : null };
    }

    // The mean intensity over [startHour, startHour + hours), the day's profile repeating, in quarter-hour steps.
    private static double MeanIntensity(IReadOnlyList<double> hourly, double startHour, double hours)
    {
        var steps = Math.Max(1, (int)Math.Ceiling(hours * 4));
        double sum = 0;
        for (var s = 0; s < steps; s++) sum += hourly[(int)Math.Floor(startHour + (s + 0.5) * hours / steps) % 24];
        return sum / steps;
    }
}
