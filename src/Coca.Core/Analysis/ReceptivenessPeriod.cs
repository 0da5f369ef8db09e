using Coca.Core.Accounting;
using Coca.Core.Carbon;

namespace Coca.Core.Analysis;

/// <summary>
/// Reads one period's jobs (in time order, as <see cref="BehaviourAnalysis"/> reads them) into a <see cref="UserPeriod"/>
/// per user: the behaviours come from the one engine, grouped by user, so that a job's avoidable energy counts once.
/// </summary>
public sealed class ReceptivenessPeriod
{
    private readonly BehaviourAnalysis _analysis;
    private readonly Func<string, bool> _counts;
    private readonly Dictionary<string, Totals> _users = new(StringComparer.Ordinal);
    private AnalysisJob? _current;

    /// <summary>The span either side of an experiment's start compared when no period is given: eight weeks.</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(56);

    /// <summary>Each counted user's figures over one period's <paramref name="jobs"/>: what <c>coca receptiveness</c> and the dashboard compare.</summary>
    public static IReadOnlyDictionary<string, UserPeriod> Over(BehaviourRules rules, CarbonInputs carbon, Func<string, bool> counts, IEnumerable<AnalysisJob> jobs)
    {
        var period = new ReceptivenessPeriod(rules, carbon, counts);
        foreach (var job in jobs) period.Add(job);
        return period.Finish();
    }

    /// <param name="counts">Which users are read (an experiment's); the others' jobs are skipped.</param>
    public ReceptivenessPeriod(BehaviourRules rules, CarbonInputs carbon, Func<string, bool> counts)
    {
        _analysis = new BehaviourAnalysis(rules, carbon, OnFinding, by: "user");
        _counts = counts;
    }

    public void Add(AnalysisJob job)
    {
        if (job.User is not { } user || !_counts(user)) return;
        var t = _users.GetValueOrDefault(user) ?? (_users[user] = new Totals());
        var gpuHours = job.Gpus is > 0 && job.ElapsedS is > 0 ? job.Gpus.Value * job.ElapsedS.Value / 3600.0 : 0;
        t.GpuHours += gpuHours;
        if (job.EnergyJ is { } j)
        {
            var kwh = j / 3.6e6;
            if (gpuHours > 0)
            {
                t.KnownGpuHours += gpuHours;
                t.GpuJobsKwh += kwh;
            }
            if (JobStates.HasCompleted(job.State) is { } completed)
            {
                t.EndedKwh += kwh;
                if (!completed) t.NotCompletedKwh += kwh;
            }
        }
        _current = job;
        _analysis.Add(job);
        _current = null;
    }

    public IReadOnlyDictionary<string, UserPeriod> Finish()
    {
        _analysis.Finish();
        var wasted = _analysis.Groups().ToDictionary(g => g.Key, g => g.WastedKwh ?? 0, StringComparer.Ordinal);
        return _users.ToDictionary(u => u.Key, u => new UserPeriod
        {
            GpuHours = u.Value.GpuHours,
            KnownGpuHours = u.Value.KnownGpuHours,
            GpuJobsKwh = u.Value.GpuJobsKwh,
            EndedKwh = u.Value.EndedKwh,
            NotCompletedKwh = u.Value.NotCompletedKwh,
            ZeroGpuHours = u.Value.ZeroGpuHours,
            WastedKwh = wasted.GetValueOrDefault(u.Key),
        }, StringComparer.Ordinal);
    }

    // zero_gpu is a rule of one job: its finding arrives while that job is being added.
    private void OnFinding(Finding f)
    {
        if (f.Kind == BehaviourKind.ZeroGpu && _current is { User: { } user, Gpus: > 0, ElapsedS: > 0 } job && f.Jobs.Contains(job.JobId))
        {
            _users[user].ZeroGpuHours += job.Gpus!.Value * job.ElapsedS!.Value / 3600.0;
        }
    }

    private sealed class Totals
    {
        public double GpuHours, KnownGpuHours, GpuJobsKwh, EndedKwh, NotCompletedKwh, ZeroGpuHours;
    }
}
