namespace Coca.Core.Extrapolation;

/// <summary>The target's year: GPU-hours, IT energy of jobs and of idle GPUs, facility energy (× PUE), emissions, waste.</summary>
public sealed record TargetFigures(string Name, int Gpus, Range3 GpuHours, Range3 JobsItMwh, Range3 IdleItMwh, Range3 EnergyMwh, Range3 EmissionsT, Range3? WasteMwh,
    IReadOnlyDictionary<string, double> KwhPerGpuHourByType, IReadOnlyList<string> Notes);

/// <summary>
/// Scales the site to the target (docs/extrapolate.md): each target GPU type's yearly allocated GPU-hours
/// (count × 8760 h × utilisation) × the site's kWh per GPU-hour of that type — or, for a type the site did not run,
/// the site's overall figure × the ratio of TDPs (the type's over the site's GPU-hour-weighted mean) — plus the
/// unallocated GPU-hours × the idle draw, all × PUE; emissions × the grid's intensity. LOW takes every low end
/// (the bootstrap's 5th percentile, low utilisation, PUE, intensity and idle draw), HIGH every high end, MID the
/// middles: the corners of the stated ranges, not a confidence interval. Waste: the site's wasted share of its energy
/// applied to the target's jobs.
/// </summary>
public static class TargetExtrapolation
{
    public const double HoursPerYear = 8_760;

    public static TargetFigures Of(SiteFigures site, TargetProfile target, double? siteWasteShare)
    {
        if (site.KwhPerGpuHour is not { } overall) throw new InvalidOperationException("the site has no GPU job with a known energy to scale from");
        var notes = new List<string>();
        var siteTypes = site.ByTypeAndState.GroupBy(r => r.GpuType).Select(g => (Type: g.Key, Hours: g.Sum(r => r.GpuHours))).ToList();
        var typed = siteTypes.Where(t => target.TdpW.ContainsKey(t.Type)).ToList();
        double? siteTdp = typed.Count > 0 ? typed.Sum(t => t.Hours * target.TdpW[t.Type]) / typed.Sum(t => t.Hours) : null;
        var perType = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (type, _) in target.Gpus)
        {
            if (site.KwhPerGpuHourOf(type) is { } measured) perType[type] = measured;
            else if (siteTdp is { } tdp)
            {
                perType[type] = overall * target.TdpW[type] / tdp;
                notes.Add($"{type}: not run at the site; its energy per GPU-hour is the site's × TDP {target.TdpW[type]:0} W / {tdp:0} W");
            }
            else
            {
                perType[type] = overall;
                notes.Add($"{type}: not run at the site, whose GPU types have no TDP in the target: the site's figure, unscaled");
            }
        }
        var factor = site.BootstrapFactor ?? Range3.Exactly(1);
        Range3 jobs = default, idle = default, hours = default;
        foreach (var (type, count) in target.Gpus)
        {
            var yearly = count * HoursPerYear;
            var allocated = target.Utilisation.Times(yearly);
            hours = hours.Plus(allocated);
            jobs = jobs.Plus(allocated.Times(factor).Times(perType[type] / 1000));
            var unallocated = new Range3(yearly - allocated.Low, yearly - allocated.Mid, yearly - allocated.High);
            idle = idle.Plus(unallocated.Times(target.IdleW).Times(1e-6));
        }
        var energy = jobs.Plus(idle).Times(target.Pue);
        var emissions = energy.Times(target.CarbonGPerKwh).Times(1e-3);
        Range3? waste = siteWasteShare is { } w ? jobs.Times(target.Pue).Times(w) : null;
        return new TargetFigures(target.Name, target.GpuCount, hours, jobs, idle.Ordered(), energy.Ordered(), emissions.Ordered(), waste?.Ordered(), perType, notes);
    }
}
