using System.Globalization;
using Coca.Core.Analysis;
using Coca.Core.Carbon;
using Coca.Core.Feedback;
using Coca.Storage;

namespace Coca.Commands.Site.Feedback;

/// <summary>
/// Reads a period's jobs once, in time order, into one <see cref="DigestModel"/> per user who ran jobs in it: totals and
/// energy per day (the agents', else Slurm's when the agents measured none of the user's jobs), and the user's
/// behaviours from the one engine, the costliest first.
/// </summary>
internal static class DigestData
{
    public static IReadOnlyList<DigestModel> Read(IJobStore store, DateTimeOffset from, DateTimeOffset to, BehaviourRules rules, CarbonInputs carbon, string? publicUrl)
    {
        var days = Math.Max(1, (int)Math.Ceiling((to - from).TotalDays));
        var users = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var kinds = new Dictionary<(string User, string Kind), (long Findings, long Jobs, double? Wasted)>();
        var analysis = new BehaviourAnalysis(rules, carbon, f =>
        {
            if (f.User is not { } u) return;
            var t = kinds.GetValueOrDefault((u, f.Kind));
            kinds[(u, f.Kind)] = (t.Findings + 1, t.Jobs + f.Jobs.Count, f.WastedKwh is { } w ? (t.Wasted ?? 0) + w : t.Wasted);
        });
        foreach (var job in store.AnalysisJobs(new JobQuery(Since: from, Until: to)))
        {
            analysis.Add(job);
            if (job.User is not { Length: > 0 } user) continue;
            var t = users.GetValueOrDefault(user) ?? (users[user] = new Totals(days));
            t.Jobs++;
            var day = job.TimeMs is { } ms ? (int)Math.Floor((DateTimeOffset.FromUnixTimeMilliseconds(ms) - from).TotalDays) : -1;
            if (job.AgentEnergyJ is { } a)
            {
                t.AgentJobs++;
                t.AgentKwh += a / 3.6e6;
                if (day >= 0 && day < days) t.AgentDay[day] = (t.AgentDay[day] ?? 0) + a / 3.6e6;
                if (job.EmissionsG is { } g) t.EmissionsG = (t.EmissionsG ?? 0) + g;
            }
            else if (job.SlurmEnergyJ is { } sj)
            {
                t.SlurmJobs++;
                t.SlurmKwh += sj / 3.6e6;
                if (day >= 0 && day < days) t.SlurmDay[day] = (t.SlurmDay[day] ?? 0) + sj / 3.6e6;
            }
        }
        analysis.Finish();
        var fromDay = DateOnly.FromDateTime(from.UtcDateTime);
        var toDay = DateOnly.FromDateTime(to.UtcDateTime);
        return users.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u =>
        {
            var t = u.Value;
            var agents = t.AgentJobs > 0;
            var findings = kinds.Where(k => k.Key.User == u.Key)
                .Select(k => new DigestFinding(k.Key.Kind, k.Value.Findings, k.Value.Jobs, k.Value.Wasted, BehaviourKind.Tip(k.Key.Kind)))
                .OrderByDescending(f => f.WastedKwh ?? 0).ThenByDescending(f => f.Findings).ThenBy(f => f.Kind, StringComparer.Ordinal).ToList();
            return new DigestModel(u.Key, fromDay, toDay, t.Jobs, agents ? t.AgentJobs : t.SlurmJobs, agents ? t.AgentKwh : t.SlurmJobs > 0 ? t.SlurmKwh : null,
                agents ? "agents" : "slurm", agents ? t.EmissionsG : null, agents ? t.AgentDay : t.SlurmDay, findings, DashboardLink(publicUrl, u.Key, fromDay, toDay));
        }).ToList();
    }

    /// <summary>The dashboard's jobs page for the user and the period (a user sees only their own there; an admin, the user named).</summary>
    public static string? DashboardLink(string? publicUrl, string user, DateOnly from, DateOnly to) => publicUrl is null ? null
        : string.Create(CultureInfo.InvariantCulture, $"{publicUrl}/jobs?user={Uri.EscapeDataString(user)}&since={from:yyyy-MM-dd}&until={to:yyyy-MM-dd}");

    private sealed class Totals(int days)
    {
        public long Jobs, AgentJobs, SlurmJobs;
        public double AgentKwh, SlurmKwh;
        public double? EmissionsG;
        public readonly double?[] AgentDay = new double?[days];
        public readonly double?[] SlurmDay = new double?[days];
    }
}
