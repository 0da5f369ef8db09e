using Coca.Core.Analysis;
using Coca.Core.Carbon;
using Coca.Core.Reports;
using Coca.Storage;

namespace Coca.Server;

/// <summary>
/// The behaviours that name one job (or one array) in <c>coca job</c> and on the dashboard's job page: the same
/// analysis as <c>coca behaviours</c>, run on the owner's jobs submitted around it — as far as a crash loop or a sweep
/// can reach, plus a day — so that its runs are seen whole without reading the owner's year.
/// </summary>
public static class JobFindings
{
    public static IReadOnlyList<JobFinding> Of(IJobStore store, JobRow job, BehaviourRules rules, CarbonInputs carbon) =>
        Around(store, job.User, job.Submit ?? job.Start, job.Submit ?? job.Start, rules, carbon, f => f.Jobs.Contains(job.JobId));

    public static IReadOnlyList<JobFinding> OfArray(IJobStore store, string arrayJobId, IReadOnlyList<JobRow> tasks, BehaviourRules rules, CarbonInputs carbon)
    {
        var ids = tasks.Select(t => t.JobId).ToHashSet(StringComparer.Ordinal);
        var times = tasks.Select(t => t.Submit ?? t.Start).Where(t => t is not null).ToList();
        return Around(store, tasks.Select(t => t.User).FirstOrDefault(u => u is not null), times.Min(), times.Max(), rules, carbon,
            f => f.Jobs.Any(ids.Contains) && (f.Kind != BehaviourKind.Sweep || f.Detail.Any(d => d.Key == "array_job_id" && (string?)d.Value == arrayJobId)));
    }

    private static IReadOnlyList<JobFinding> Around(IJobStore store, string? user, DateTimeOffset? first, DateTimeOffset? last, BehaviourRules rules, CarbonInputs carbon,
        Func<Finding, bool> names)
    {
        if (user is null || first is null || last is null) return [];
        var reach = TimeSpan.FromHours(Math.Max(rules.CrashLoopHours, rules.SweepMinutes / 60)) + TimeSpan.FromDays(1);
        var found = new List<JobFinding>();
        var analysis = new BehaviourAnalysis(rules, carbon, f =>
        {
            if (names(f)) found.Add(new JobFinding(f.Kind, f.WastedKwh, f.Tip));
        }, metricsOf: ids => store.MetricsOfJobs(ids));
        // Read whole first (a few days of one user): the sweeps' metrics come from the same store, whose read-ahead must be done.
        foreach (var j in store.AnalysisJobs(new JobQuery(User: user, Since: first - reach, Until: last + reach)).ToList()) analysis.Add(j);
        analysis.Finish();
        return found;
    }
}
