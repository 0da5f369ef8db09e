using Coca.Core.Accounting;
using Coca.Core.Jobs;

namespace Coca.Core.Analysis;

/// <summary>
/// The behaviours of runs of jobs, read in time order, one job at a time, keeping only the runs still open:
/// <list type="bullet">
/// <item><c>crash_loop</c>: jobs of one user with one fingerprint that did not complete, each submitted within
/// <see cref="BehaviourRules.CrashLoopHours"/> of the previous; a completed one ends the run (the loop was broken),
/// a job not known to have ended neither adds nor breaks. Wasted: the energy of all but the first.</item>
/// <item><c>sweep</c>: jobs of one user with one fingerprint, each submitted within <see cref="BehaviourRules.SweepMinutes"/>
/// of the previous, or the tasks of one job array (an array is its own run, whatever its tasks' fingerprints).
/// Wasted: the energy of the runs the others dominate on energy against a metric they reported (<c>coca metric</c>,
/// <see cref="SweepJudgement"/>); unknown (null) without metrics. The detail gives the total and per-run energy.</item>
/// </list>
/// Jobs without a fingerprint (no name, submit line or work dir) or a time join no run.
/// </summary>
/// <param name="metricsOf">Every metric of the given jobs (by the id users know); null: metrics are not known.</param>
public sealed class GroupRules(JobRules jobs, Action<Finding, IReadOnlyList<GroupMember>> emit, Func<IReadOnlyList<string>, IReadOnlyList<Metrics.JobMetric>>? metricsOf = null)
{
    private readonly BehaviourRules _rules = jobs.Rules;
    private readonly Dictionary<(string User, long Fingerprint), Chain> _chains = [];
    private readonly Dictionary<string, Run> _arrays = new(StringComparer.Ordinal);
    private readonly List<(string, long)> _emptyChains = [];
    private readonly List<string> _closedArrays = [];
    private long _nextSweepOfStaleRuns = long.MinValue;

    private long CrashGapMs => (long)(_rules.CrashLoopHours * 3_600_000);
    private long SweepGapMs => (long)(_rules.SweepMinutes * 60_000);

    // Arrays are kept open as long as a crash run, their tasks may start over a day.
    private long ArrayGapMs => Math.Max(CrashGapMs, SweepGapMs);

    /// <summary>Adds the next job in time order; <paramref name="wastedJ"/> is what its own findings already count as avoidable.</summary>
    public void Add(AnalysisJob job, double wastedJ, string? groupKey)
    {
        if (job.TimeMs is not { } t) return;
        if (t >= _nextSweepOfStaleRuns)
        {
            CloseStale(t);
            _nextSweepOfStaleRuns = t + Math.Min(CrashGapMs, SweepGapMs);
        }
        var member = new GroupMember(job, wastedJ, groupKey);
        if (job.ArrayJobId is { } array)
        {
            if (!_arrays.TryGetValue(array, out var run)) _arrays[array] = run = new Run();
            run.Add(member, t);
            return;
        }
        if (job.Fingerprint == 0 || job.User is null) return;
        var key = (job.User, job.Fingerprint);
        if (!_chains.TryGetValue(key, out var chain)) _chains[key] = chain = new Chain();
        if (chain.Sweep.Count > 0 && t - chain.Sweep.LastMs > SweepGapMs) CloseSweep(chain.Sweep, arrayId: null);
        chain.Sweep.Add(member, t);
        switch (JobStates.HasCompleted(job.State))
        {
            case true:
                CloseCrash(chain.Crash);
                break;
            case false:
                if (chain.Crash.Count > 0 && t - chain.Crash.LastMs > CrashGapMs) CloseCrash(chain.Crash);
                chain.Crash.Add(member, t);
                break;
        }
    }

    /// <summary>Closes every open run: the end of the jobs.</summary>
    public void Finish() => CloseStale(long.MaxValue);

    // Runs the data has moved past are closed and dropped: what stays open is the last day's jobs, not the year's.
    private void CloseStale(long now)
    {
        _emptyChains.Clear();
        foreach (var (key, chain) in _chains)
        {
            if (chain.Sweep.Count > 0 && now - chain.Sweep.LastMs > SweepGapMs) CloseSweep(chain.Sweep, arrayId: null);
            if (chain.Crash.Count > 0 && now - chain.Crash.LastMs > CrashGapMs) CloseCrash(chain.Crash);
            if (chain.Sweep.Count == 0 && chain.Crash.Count == 0) _emptyChains.Add(key);
        }
        foreach (var key in _emptyChains) _chains.Remove(key);
        _closedArrays.Clear();
        foreach (var (array, run) in _arrays)
        {
            if (now - run.LastMs <= ArrayGapMs) continue;
            CloseSweep(run, array);
            _closedArrays.Add(array);
        }
        foreach (var array in _closedArrays) _arrays.Remove(array);
    }

    private void CloseCrash(Run run)
    {
        if (run.Count >= _rules.CrashLoopJobs)
        {
            var members = run.Members;
            var first = members[0].Job;
            var wasted = SumKnown(members.Skip(1), out var unknownWasted);
            var energy = SumKnown(members, out var unknown);
            var emissions = members.Select(m => jobs.Emissions(m.Job, m.Job.EnergyJ)).Where(g => g is not null).Sum();
            var wastedEmissions = members.Skip(1).Select(m => jobs.Emissions(m.Job, m.Job.EnergyJ)).Where(g => g is not null).Sum();
            var finding = new Finding(BehaviourKind.CrashLoop, first.User, [.. members.Select(m => m.Job.JobId)], JobRules.Kwh(energy), JobRules.Kwh(wasted),
                energy is null ? null : emissions, wasted is null ? null : wastedEmissions, Provenance(members),
                Detail(("fingerprint", JobFingerprint.Format(first.Fingerprint)), ("name", first.Name), ("jobs", (long)members.Count),
                    ("states", string.Join(",", members.Select(m => m.Job.State).Distinct())), ("first_submit_ms", members[0].TimeMs), ("last_submit_ms", run.LastMs),
                    ("unknown_energy_jobs", (long)unknown), ("threshold_min_jobs", (long)_rules.CrashLoopJobs), ("threshold_max_gap_hours", _rules.CrashLoopHours)));
            emit(finding, members.Skip(1).ToList());
        }
        run.Clear();
    }

    private void CloseSweep(Run run, string? arrayId)
    {
        var enough = arrayId is null ? run.Count >= _rules.SweepJobs : run.Count >= _rules.SweepArrayTasks;
        if (enough)
        {
            var members = run.Members;
            var first = members[0].Job;
            var energy = SumKnown(members, out var unknown);
            var known = members.Where(m => m.Job.EnergyJ is not null).Select(m => m.Job.EnergyJ!.Value / 3.6e6).ToList();
            var emissions = members.Select(m => jobs.Emissions(m.Job, m.Job.EnergyJ)).Where(g => g is not null).Sum();
            var judged = metricsOf is null ? null : SweepJudgement.Of([.. members.Select(m => m.Job)], metricsOf([.. members.Select(m => m.Job.JobId)]), _rules);
            var dominatedIds = judged?.Dominated.ToHashSet(StringComparer.Ordinal);
            var dominated = dominatedIds is null ? [] : members.Where(m => dominatedIds.Contains(m.Job.JobId)).ToList();
            var wastedEmissions = dominated.Select(m => jobs.Emissions(m.Job, m.Job.EnergyJ)).Where(g => g is not null).Sum();
            var finding = new Finding(BehaviourKind.Sweep, first.User, [.. members.Select(m => m.Job.JobId)], JobRules.Kwh(energy), judged?.Result.DominatedKwh,
                energy is null ? null : emissions, judged is null ? null : wastedEmissions, Provenance(members),
                Detail(("rule", arrayId is null ? "same fingerprint, submitted close together" : "one job array"), ("array_job_id", arrayId),
                    ("fingerprint", first.Fingerprint == 0 ? null : JobFingerprint.Format(first.Fingerprint)), ("name", first.Name), ("runs", (long)members.Count),
                    ("total_kwh", JobRules.Kwh(energy)), ("mean_run_kwh", known.Count > 0 ? known.Average() : null), ("min_run_kwh", known.Count > 0 ? known.Min() : null),
                    ("max_run_kwh", known.Count > 0 ? known.Max() : null), ("unknown_energy_jobs", (long)unknown),
                    ("wasted", judged is null
                        ? "unknown: which runs were useless needs their metrics (coca metric)"
                        : $"the energy of the {judged.Dominated.Count} run(s) that another run beat on {judged.Metric} ({(judged.Maximize ? "maximize" : "minimize")}) for no more energy"),
                    ("metric", judged?.Metric), ("direction", judged is null ? null : judged.Maximize ? "maximize" : "minimize"),
                    ("pareto_runs", judged is null ? null : string.Join(",", judged.Result.Pareto)), ("dominated_runs", judged is null ? null : string.Join(",", judged.Dominated)),
                    ("runs_with_metric", judged is null ? null : (long)judged.Result.Points.Count),
                    (arrayId is null ? "threshold_min_jobs" : "threshold_min_tasks", (long)(arrayId is null ? _rules.SweepJobs : _rules.SweepArrayTasks)),
                    ("threshold_max_gap_minutes", arrayId is null ? _rules.SweepMinutes : null)));
            emit(finding, dominated);
        }
        run.Clear();
    }

    private static double? SumKnown(IEnumerable<GroupMember> members, out int unknown)
    {
        double? sum = null;
        unknown = 0;
        foreach (var m in members)
        {
            if (m.Job.EnergyJ is { } e) sum = (sum ?? 0) + e;
            else unknown++;
        }
        return sum;
    }

    // The weakest source among the jobs whose energy is known; "unknown" when none is.
    internal static string Provenance(IEnumerable<GroupMember> members)
    {
        string? weakest = null;
        foreach (var m in members)
        {
            if (m.Job.EnergySource is not { } source) continue;
            if (weakest is null || Rank(source) > Rank(weakest)) weakest = source;
        }
        return weakest ?? "unknown";
    }

    private static int Rank(string source) => source switch { "measured" => 0, "derived" => 1, "estimated" => 2, "slurm" => 3, _ => 4 };

    private static IReadOnlyList<KeyValuePair<string, object?>> Detail(params (string Key, object? Value)[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))];

    private sealed class Chain
    {
        public Run Sweep { get; } = new();
        public Run Crash { get; } = new();
    }

    private sealed class Run
    {
        private readonly List<GroupMember> _members = [];
        public IReadOnlyList<GroupMember> Members => _members;
        public int Count => _members.Count;
        public long LastMs { get; private set; }

        public void Add(GroupMember member, long t)
        {
            _members.Add(member);
            LastMs = Math.Max(LastMs, t);
        }

        public void Clear() => _members.Clear();
    }
}

/// <summary>A job in an open run: the job, what its own findings already count as avoidable, and its group for <c>--by</c>.</summary>
public sealed record GroupMember(AnalysisJob Job, double WastedJ, string? GroupKey)
{
    /// <summary>Whether a group finding already counted this job's whole energy as avoidable in the summary.</summary>
    public bool WholeCounted { get; set; }

    public long? TimeMs => Job.TimeMs;
}
