using Coca.Core.Analysis;
using Coca.Core.Carbon;
using Coca.Core.Feedback;
using Coca.Storage;

namespace Coca.Commands.Site.Feedback;

/// <summary>
/// What <c>coca motd</c> reads for one user, in four small queries: their five newest jobs of the last five weeks, the
/// week's and the four weeks' sums (done in the database), and the behaviours of their last four weeks (the same
/// engine as <c>coca behaviours</c>) for the tip, which users who opted out or are in an experiment's control arm do not get.
/// </summary>
public static class BannerData
{
    public const string TipKind = "tip";

    /// <summary>The banner's lines, and the delivery to log when a tip was shown that was not logged in the last day (else null).</summary>
    public static (IReadOnlyList<string> Lines, FeedbackDelivery? ToLog) Build(IJobStore store, string user, DateTimeOffset now, BehaviourRules rules, CarbonInputs carbon)
    {
        var jobs = store.Jobs(new JobQuery(User: user, Since: now.AddDays(-35), Limit: 5) { Order = JobOrder.Newest })
            .Select(j => new BannerJob(j.JobId, j.Nodes, j.Start, j.ElapsedS, j.TotalUj is { } uj ? uj / 1e6 : j.SlurmEnergyJ, j.TotalUj is null && j.SlurmEnergyJ is not null ? "slurm" : null,
                j.EmissionsG, j.Pue))
            .ToList();
        // Someone with no job in five weeks (a login node's other users) is not greeted with an empty banner at every login.
        if (jobs.Count == 0) return ([], null);
        var week = Week(store.Summary(new JobQuery(User: user, Since: now.AddDays(-7))).Total);
        var before = Week(store.Summary(new JobQuery(User: user, Since: now.AddDays(-35), Until: now.AddDays(-7))).Total);
        var (noTips, arm) = FeedbackAudience.Of(store.Feedback, user, now);
        var tip = noTips is null ? Tip(store, user, now, rules, carbon) : null;
        // The banner runs at every login: its tip is logged once a day.
        var toLog = tip is null || store.Feedback.LastDelivery(user, TipKind) is { } last && now - last < TimeSpan.FromDays(1) ? null : new FeedbackDelivery
        {
            User = user, Channel = FeedbackChannels.Motd, Kind = TipKind, SentAt = now, Findings = [tip.Kind], Experiment = arm?.Experiment, Arm = arm?.Arm,
        };
        return (LoginBanner.Lines(user, jobs, week, before, tip), toLog);
    }

    // Agents' energy where any job of the period was measured, else Slurm's (labelled by the count of jobs it covers): never the two mixed.
    private static WeekEnergy Week(JobTotals t) => t.MeasuredJobs > 0
        ? new WeekEnergy(t.EnergyKwh, t.Jobs, t.MeasuredJobs, Slurm: false)
        : new WeekEnergy(t.SlurmEnergyKwh, t.Jobs, t.SlurmEnergyJobs, Slurm: t.SlurmEnergyJobs > 0);

    private static BannerTip? Tip(IJobStore store, string user, DateTimeOffset now, BehaviourRules rules, CarbonInputs carbon)
    {
        var analysis = new BehaviourAnalysis(rules, carbon, _ => { });
        foreach (var job in store.AnalysisJobs(new JobQuery(User: user, Since: now.AddDays(-28)))) analysis.Add(job);
        var worst = analysis.Finish().ByKind.OrderByDescending(k => k.Value.WastedKwh ?? 0).ThenByDescending(k => k.Value.Findings).ThenBy(k => k.Key, StringComparer.Ordinal)
            .FirstOrDefault(k => k.Value.Findings > 0);
        return worst.Key is null ? null : new BannerTip(worst.Key, worst.Value.Findings, worst.Value.WastedKwh, BehaviourKind.Tip(worst.Key));
    }
}
