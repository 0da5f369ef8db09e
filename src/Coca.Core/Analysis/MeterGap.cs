namespace Coca.Core.Analysis;

/// <summary>One node's node meter energy and its components' (CPU + DRAM + GPU) over the same metered ticks, summed over <paramref name="Hours"/> hours (J).</summary>
public sealed record NodeMeterSum(string Node, long Hours, double MeterJ, double ComponentsJ);

/// <summary>One node's share of finding 3: its meter's energy, its components' over the same ticks, and the gap between them.</summary>
public sealed record NodeGap(string Node, long Hours, double NodeEnergyKwh, double ComponentEnergyKwh, double? GapPct);

/// <summary>
/// Finding 3: the gap between the software figure and the wall, (node − components) / node × 100, over the ticks the
/// node meters covered (the agents' books compare a meter only with the components of the ticks it read: nothing
/// outside its coverage enters either side), overall and per node, with the hours and nodes behind it; null with the
/// reason when no node meter reported. The Coca4ai study measured about 16 % with Omegawatt wattmeters.
/// </summary>
public sealed record MeterGap(double? GapPct, long Nodes, string? Reason)
{
    public const string NoData = "no node meter data (wattmeter, Redfish, IPMI) in this store for the period: the software-vs-wall gap cannot be computed";

    /// <summary>Node-hours with meter data behind <see cref="GapPct"/>.</summary>
    public long Hours { get; init; }
    public double? NodeEnergyKwh { get; init; }
    public double? ComponentEnergyKwh { get; init; }
    public IReadOnlyList<NodeGap> PerNode { get; init; } = [];

    /// <summary>The gap over <paramref name="sums"/>; nodes whose meter saw no energy are left out (nothing to divide by).</summary>
    public static MeterGap Of(IReadOnlyList<NodeMeterSum> sums)
    {
        var metered = sums.Where(s => s.MeterJ > 0 && double.IsFinite(s.MeterJ) && double.IsFinite(s.ComponentsJ))
            .OrderBy(s => s.Node, StringComparer.Ordinal).ToList();
        if (metered.Count == 0) return new MeterGap(null, 0, NoData);
        var meter = metered.Sum(s => s.MeterJ);
        var components = metered.Sum(s => s.ComponentsJ);
        return new MeterGap(Gap(meter, components), metered.Count, null)
        {
            Hours = metered.Sum(s => s.Hours),
            NodeEnergyKwh = meter / 3.6e6,
            ComponentEnergyKwh = components / 3.6e6,
            PerNode = [.. metered.Select(s => new NodeGap(s.Node, s.Hours, s.MeterJ / 3.6e6, s.ComponentsJ / 3.6e6, Gap(s.MeterJ, s.ComponentsJ)))],
        };
    }

    private static double Gap(double meter, double components) => (meter - components) / meter * 100;
}
