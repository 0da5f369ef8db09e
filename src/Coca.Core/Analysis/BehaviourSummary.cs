namespace Coca.Core.Analysis;

/// <summary>One kind's totals: findings, jobs named, avoidable kWh (null while none of it is known).</summary>
public sealed record KindTotals(long Findings, long Jobs, double? WastedKwh);

/// <summary>
/// What the analysed jobs add up to: every job counts in <see cref="Jobs"/>; <see cref="EnergyKwh"/> sums the known
/// energies (the agents', else Slurm's) and <see cref="UnknownEnergyJobs"/> counts the others; <see cref="WastedKwh"/>
/// counts each job's avoidable energy once, however many behaviours name it (a failed job in a crash loop is one
/// waste), while <see cref="ByKind"/> sums each kind on its own, so the kinds may add up to more.
/// </summary>
public sealed record BehaviourSummary(long Jobs, double? EnergyKwh, long UnknownEnergyJobs, double? WastedKwh, IReadOnlyDictionary<string, KindTotals> ByKind);

/// <summary>A group of <c>--by</c>: its jobs, their known energy, the avoidable part, the findings that name them.</summary>
public sealed record ActivityGroup(string Key, long Jobs, double? EnergyKwh, long UnknownEnergyJobs, double? WastedKwh, long Findings);
