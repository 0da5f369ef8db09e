using Coca.Core.Carbon;
using Coca.Core.Jobs;

namespace Coca.Core.Analysis;

/// <summary>
/// The behaviours of a set of jobs, read once in time order (<see cref="Add"/>, then <see cref="Finish"/>): each
/// finding goes to the sink as soon as it is known, so a year of millions of jobs is never held in memory; the
/// summary and the <c>--by</c> groups are built on the way. A finding of a kind not asked for is neither emitted
/// nor counted as waste.
/// </summary>
public sealed class BehaviourAnalysis
{
    private readonly JobRules _jobRules;
    private readonly GroupRules _groupRules;
    private readonly Action<Finding> _sink;
    private readonly IReadOnlySet<string> _kinds;
    private readonly Func<AnalysisJob, string?>? _groupOf;
    private readonly List<Finding> _scratch = [];
    private readonly Dictionary<string, (long Findings, long Jobs, double? Wasted)> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupTotals> _groups = new(StringComparer.Ordinal);
    private long _jobs, _unknown;
    private double? _energyJ, _wastedJ;

    /// <param name="kinds">The kinds to report; null: all.</param>
    /// <param name="by">How to group for <c>--by</c>: <c>user</c>, <c>framework</c>, <c>partition</c>, <c>account</c>, <c>tag:KEY</c>; null: no groups.</param>
    /// <param name="metricsOf">Every metric of the given jobs (the store's <c>job_metrics</c>), for the sweeps' avoidable energy; null: unknown.</param>
    public BehaviourAnalysis(BehaviourRules rules, CarbonInputs siteCarbon, Action<Finding> sink, IReadOnlyCollection<string>? kinds = null, string? by = null,
        Func<IReadOnlyList<string>, IReadOnlyList<Metrics.JobMetric>>? metricsOf = null)
    {
        _jobRules = new JobRules(rules, siteCarbon);
        _groupRules = new GroupRules(_jobRules, OnGroupFinding, metricsOf);
        _sink = sink;
        _kinds = new HashSet<string>(kinds ?? BehaviourKind.All, StringComparer.Ordinal);
        _groupOf = by is null ? null : GroupOf(by);
    }

    /// <summary>The <c>--by</c> choices; anything else is refused by <see cref="GroupOf"/>.</summary>
    public static IReadOnlyList<string> ByChoices { get; } = ["user", "framework", "partition", "account", "tag:KEY"];

    public static Func<AnalysisJob, string?> GroupOf(string by) => by switch
    {
        "user" => j => j.User ?? "unknown",
        "framework" => j => j.Framework ?? "unknown",
        "partition" => j => j.Partition ?? "unknown",
        "account" => j => j.Account ?? "unknown",
        _ when by.StartsWith("tag:", StringComparison.Ordinal) && by.Length > 4 => j => JobTags.Value(j.Tags, by[4..].ToLowerInvariant()) ?? "(none)",
        _ => throw new ArgumentException($"--by '{by}' is not one of {string.Join(", ", ByChoices)}"),
    };

    public void Add(AnalysisJob job)
    {
        _jobs++;
        if (job.EnergyJ is { } e) _energyJ = (_energyJ ?? 0) + e;
        else _unknown++;
        _scratch.Clear();
        _jobRules.Evaluate(job, _scratch);
        double wasted = 0;
        var key = _groupOf?.Invoke(job);
        var findings = 0;
        var anyWasteKnown = false;
        foreach (var f in _scratch)
        {
            if (!_kinds.Contains(f.Kind)) continue;
            findings++;
            Count(f, f.Jobs.Count);
            if (f.WastedKwh is { } w)
            {
                wasted = Math.Max(wasted, w * 3.6e6);
                anyWasteKnown = true;
            }
            _sink(f);
        }
        if (anyWasteKnown) _wastedJ = (_wastedJ ?? 0) + wasted;
        if (key is not null)
        {
            var g = _groups.GetValueOrDefault(key) ?? (_groups[key] = new GroupTotals());
            g.Jobs++;
            if (job.EnergyJ is { } je) g.EnergyJ = (g.EnergyJ ?? 0) + je;
            else g.Unknown++;
            if (wasted > 0) g.WastedJ = (g.WastedJ ?? 0) + wasted;
            g.Findings += findings;
        }
        _groupRules.Add(job, wasted, key);
    }

    /// <summary>Closes the open runs (their findings go to the sink) and returns the totals.</summary>
    public BehaviourSummary Finish()
    {
        _groupRules.Finish();
        var byKind = new SortedDictionary<string, KindTotals>(StringComparer.Ordinal);
        foreach (var (kind, t) in _byKind) byKind[kind] = new KindTotals(t.Findings, t.Jobs, JobRules.Kwh(t.Wasted));
        return new BehaviourSummary(_jobs, JobRules.Kwh(_energyJ), _unknown, JobRules.Kwh(_wastedJ), byKind);
    }

    /// <summary>The <c>--by</c> groups, most energy first (after <see cref="Finish"/>).</summary>
    public IReadOnlyList<ActivityGroup> Groups() =>
        [.. _groups.Select(g => new ActivityGroup(g.Key, g.Value.Jobs, JobRules.Kwh(g.Value.EnergyJ), g.Value.Unknown, JobRules.Kwh(g.Value.WastedJ), g.Value.Findings))
            .OrderByDescending(g => g.EnergyKwh ?? 0).ThenBy(g => g.Key, StringComparer.Ordinal)];

    // A run's finding: emitted, counted, and each member's avoidable energy raised to what the run says of it.
    private void OnGroupFinding(Finding finding, IReadOnlyList<GroupMember> wastedMembers)
    {
        if (!_kinds.Contains(finding.Kind)) return;
        Count(finding, finding.Jobs.Count);
        foreach (var m in wastedMembers)
        {
            // A job in a crash loop and among a sweep's dominated runs is one waste.
            if (m.Job.EnergyJ is not { } e || e <= m.WastedJ || m.WholeCounted) continue;
            m.WholeCounted = true;
            var extra = e - m.WastedJ;
            _wastedJ = (_wastedJ ?? 0) + extra;
            if (m.GroupKey is { } key && _groups.TryGetValue(key, out var g)) g.WastedJ = (g.WastedJ ?? 0) + extra;
        }
        if (_groupOf is not null)
        {
            foreach (var key in wastedMembers.Select(m => m.GroupKey).Where(k => k is not null).Distinct()) _groups[key!].Findings++;
        }
        _sink(finding);
    }

    private void Count(Finding f, int jobs)
    {
        var t = _byKind.GetValueOrDefault(f.Kind);
        var wasted = f.WastedKwh is { } w ? (t.Wasted ?? 0) + w * 3.6e6 : t.Wasted;
        _byKind[f.Kind] = (t.Findings + 1, t.Jobs + jobs, wasted);
    }

    private sealed class GroupTotals
    {
        public long Jobs;
        public long Unknown;
        public long Findings;
        public double? EnergyJ;
        public double? WastedJ;
    }
}
