using Coca.Core.Analysis;

namespace Coca.Core.Extrapolation;

/// <summary>One what-if: saved at the site over its period (kWh of IT energy, or kg CO2e for the carbon shift) and at the target per year.</summary>
public sealed record WhatIfResult(string Scenario, double? SiteSavedKwh, double? SiteSavedKg, double? SiteSavedShare, long Jobs, Range3? TargetSavedMwh, Range3? TargetSavedT, string? Reason);

/// <summary>The whole answer of <c>coca extrapolate</c>.</summary>
public sealed record ExtrapolationResult(SiteFigures Site, double SitePue, double? SiteWasteShare, TargetFigures Target, IReadOnlyList<WhatIfResult> WhatIfs);

/// <summary>
/// <c>coca extrapolate</c>'s core: the site's figures, the target's year, and each what-if applied to the site's GPU
/// jobs then scaled by the share of the site's energy (or emissions) it saves. Pure.
/// </summary>
public static class Extrapolation
{
    public static ExtrapolationResult Run(IReadOnlyList<SiteJob> jobs, TargetProfile target, IReadOnlyList<WhatIf> whatIfs, BehaviourRules rules, double sitePue, double? siteWasteShare)
    {
        var site = SiteFigures.Of(jobs);
        var figures = TargetExtrapolation.Of(site, target, siteWasteShare);
        var gpuJobs = jobs.Where(j => j.Gpus > 0).ToList();
        var results = new List<WhatIfResult>();
        foreach (var w in whatIfs)
        {
            var saving = WhatIfSavings.Of(w, gpuJobs, rules, target.CarbonHourly, sitePue);
            if (saving.Reason is not null && saving.Kwh is null or 0 && saving.Grams is null)
            {
                results.Add(new WhatIfResult(w.Text, null, null, null, saving.Jobs, null, null, saving.Reason));
                continue;
            }
            switch (w.Name)
            {
                case WhatIf.Pue:
                    var deltaPue = new Range3(target.Pue.Low - w.Value!.Value, target.Pue.Mid - w.Value.Value, target.Pue.High - w.Value.Value);
                    var mwh = figures.JobsItMwh.Plus(figures.IdleItMwh).Times(deltaPue);
                    results.Add(new WhatIfResult(w.Text, saving.Kwh, null, site.EnergyKwh > 0 ? saving.Kwh / (site.EnergyKwh * sitePue) : null, saving.Jobs,
                        mwh.Ordered(), mwh.Times(target.CarbonGPerKwh).Times(1e-3).Ordered(), null));
                    break;
                case WhatIf.Carbon:
                    results.Add(new WhatIfResult(w.Text, 0, saving.Grams / 1000, saving.GramsShare, saving.Jobs, Range3.Exactly(0),
                        saving.GramsShare is { } gs ? figures.EmissionsT.Times(gs) : null, saving.Reason));
                    break;
                default:
                    double? share = site.EnergyKwh > 0 ? saving.Kwh / site.EnergyKwh : null;
                    Range3? saved = share is { } s ? figures.JobsItMwh.Times(target.Pue).Times(s) : null;
                    results.Add(new WhatIfResult(w.Text, saving.Kwh, null, share, saving.Jobs, saved?.Ordered(), saved?.Times(target.CarbonGPerKwh).Times(1e-3).Ordered(), saving.Reason));
                    break;
            }
        }
        return new ExtrapolationResult(site, sitePue, siteWasteShare, figures, results);
    }
}
