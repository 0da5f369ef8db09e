using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Core.Reports;
using Coca.Server;
using Coca.Storage;

namespace Coca.Commands.Site.Feedback;

/// <summary>The report <c>coca slurm mail</c> adds to Slurm's end-of-job mail, and whose it is (for the log).</summary>
internal sealed record JobMailReport(string Text, string User, string JobIdRaw, IReadOnlyList<string> FindingKinds, UserArm? Arm);

/// <summary>
/// Builds the job's report from the store, as <c>coca job</c> prints it (one renderer). Slurm mails at job end, usually
/// before the node agent has pushed the job's last figures: the job is read again every two seconds, up to
/// <c>[feedback] mail_wait</c>, until it has ended and has energy; then the report says what is known.
/// </summary>
internal static class JobMailReports
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    /// <summary>The report, or why there is none (one line); throws only what the store throws.</summary>
    public static (JobMailReport? Report, string? Why) Build(IJobStore store, string jobId, bool arraySummary, CocaSettings settings, TimeSpan wait, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (arraySummary) return Array(store, jobId, settings, now);
        var deadline = now + wait;
        var job = store.Job(jobId);
        while ((job is null || job.End is null || (job.TotalUj is null && job.SlurmEnergyJ is null)) && time.GetUtcNow() + Poll <= deadline)
        {
            Task.Delay(Poll, time).GetAwaiter().GetResult();
            job = store.Job(jobId);
        }
        if (job is null) return (null, $"job {jobId} is not in the store");
        var user = job.User ?? "";
        var (plain, arm) = Plain(store, user, now);
        var (text, kinds) = JobReports.Text(store, job, settings, withFindings: !plain);
        return (new JobMailReport(text, user, job.JobIdRaw, kinds, arm), null);
    }

    private static (JobMailReport?, string?) Array(IJobStore store, string arrayJobId, CocaSettings settings, DateTimeOffset now)
    {
        var tasks = store.Jobs(new JobQuery(Limit: 100_000) { ArrayJobId = arrayJobId });
        if (tasks.Count == 0) return (null, $"array {arrayJobId} is not in the store");
        var user = tasks[0].User ?? "";
        var (plain, arm) = Plain(store, user, now);
        IReadOnlyList<JobFinding> findings = plain ? [] : JobFindings.OfArray(store, arrayJobId, tasks, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings));
        var text = JobArrayReport.Render(JobReports.Array(arrayJobId, tasks) with { Findings = findings });
        return (new JobMailReport(text, user, arrayJobId, [.. findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal)], arm), null);
    }

    // As every channel: a user who opted out, or is in an experiment's control arm, keeps the plain report, without tips.
    private static (bool Plain, UserArm? Arm) Plain(IJobStore store, string user, DateTimeOffset now)
    {
        var (noTips, arm) = FeedbackAudience.Of(store.Feedback, user, now);
        return (noTips is not null, arm);
    }
}
