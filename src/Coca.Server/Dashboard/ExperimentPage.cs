using System.Globalization;
using System.Text;
using Coca.Core.Analysis;
using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// <c>/experiments/{name}</c> (admins only): a receptiveness experiment's arms before and after its start, each metric's
/// difference in differences and its 95 % bootstrap interval — the figures of <c>coca receptiveness NAME</c>, computed
/// the same way (Core's <see cref="Receptiveness"/>) over the 8 weeks either side of the start (the after period ends today
/// while it runs).
/// </summary>
internal static class ExperimentPage
{
    private static readonly TimeSpan EightWeeks = ReceptivenessPeriod.DefaultSpan;

    public static IResult Render(HttpContext http, Viewer viewer, IJobStore store, ServerOptions options, ILogger logger, string name)
    {
        if (!viewer.IsAdmin)
        {
            logger.LogWarning("403 /experiments for {Role} {Subject}: admins only", viewer.Role, viewer.Subject);
            return Layout.Page(http, viewer, "Admins only", "<p class=\"bad\">Only admins see experiments. <a href=\"/\">Overview</a></p>", 403);
        }
        if (store.Feedback.Experiment(name) is not var (definition, arms))
        {
            return Layout.Page(http, viewer, "No such experiment", $"<p class=\"bad\">No experiment named {Html.E(name)} (<code>coca experiment create</code>).</p>", 404);
        }
        var now = options.Clock.GetUtcNow();
        var before = (From: definition.Start - EightWeeks, To: definition.Start);
        var after = (From: definition.Start, To: now < definition.Start + EightWeeks ? now : definition.Start + EightWeeks);
        var members = arms.Select(a => a.User).ToHashSet(StringComparer.Ordinal);
        IReadOnlyDictionary<string, UserPeriod> Read((DateTimeOffset From, DateTimeOffset To) p) =>
            ReceptivenessPeriod.Over(options.Behaviours, options.Carbon, members.Contains, p.To > p.From ? store.AnalysisJobs(new JobQuery(Since: p.From, Until: p.To)) : []);
        var result = Receptiveness.Compare(arms, Read(before), Read(after), seed: definition.Seed);

        var b = new StringBuilder();
        b.Append("<p>Started ").Append(Html.Time(definition.Start)).Append("; ").Append(Html.Share(definition.ControlShare)).Append(" of users in the control arm")
            .Append(definition.StratifyBy is { } by ? $", stratified by {Html.E(by)}" : "").Append("; seed ").Append(definition.Seed.ToString(CultureInfo.InvariantCulture))
            .Append(". Before: ").Append(Html.Time(before.From)).Append(" to ").Append(Html.Time(before.To)).Append("; after: ").Append(Html.Time(after.From)).Append(" to ")
            .Append(Html.Time(after.To)).Append(".</p>");
        string Figure(double? v) => v is { } x ? x.ToString("0.####", CultureInfo.InvariantCulture) : Html.Unknown;
        IReadOnlyList<string> Row(string arm, ArmResult r, string metric) =>
            [arm, r.Users.ToString("N0", CultureInfo.InvariantCulture), Html.E(metric), Figure(r.Before.Metrics.GetValueOrDefault(metric)), Figure(r.After.Metrics.GetValueOrDefault(metric))];
        Html.Table(b, "Each arm's metrics, weighted by GPU-hours", ["Arm", "Users", "Metric", "Before", "After"],
            ReceptivenessMetrics.All.SelectMany(m => new[] { Row("feedback", result.Feedback, m), Row("control", result.Control, m) }));
        Html.Table(b, $"Difference in differences (feedback − control), 95 % bootstrap interval over users ({result.Resamples:N0} resamples)", ["Metric", "Effect", "95 % interval", "Reads as"],
            result.Effects.Select(e => (IReadOnlyList<string>)
            [
                Html.E(e.Key), Figure(e.Value.Did),
                e.Value.Ci95 is [var lo, var hi] ? $"{Figure(lo)} to {Figure(hi)}" : Html.Unknown,
                e.Value.Ci95 is [var l, var h] ? (l <= 0 && h >= 0 ? "no effect shown (the interval holds 0)" : "an effect (the interval excludes 0)") : "not enough data",
            ]));
        b.Append("<p class=\"muted\">Limits: users of one team influence each other (spill-over shrinks the difference); users who stood out before tend to look better afterwards on their own (regression to the mean). See the README's receptiveness section.</p>");
        return Layout.Page(http, viewer, "Experiment " + definition.Name, b.ToString());
    }
}
