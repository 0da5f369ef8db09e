namespace Coca.Core.Attribution;

/// <summary>How the energy only a node meter sees (<c>other</c>: fans, power supplies, disks, NICs) is charged: <c>[attribution] other</c>.</summary>
public enum OtherRule
{
    /// <summary>In proportion to what each job (and idle, and unattributed) drew of the CPUs, memory and GPUs in the window: the default.</summary>
    Proportional,
    /// <summary>Equally between the jobs present, by the time each was there; to idle when none is.</summary>
    Equal,
    /// <summary>By each job's CPU share of the node (its cores), as the CPU packages are; the rest to idle.</summary>
    Cores,
}

public static class OtherRuleExtensions
{
    public static string ToWire(this OtherRule rule) => rule switch
    {
        OtherRule.Equal => "equal",
        OtherRule.Cores => "cores",
        _ => "proportional",
    };

    public static bool TryParse(string? word, out OtherRule rule)
    {
        (var ok, rule) = word switch
        {
            "proportional" => (true, OtherRule.Proportional),
            "equal" => (true, OtherRule.Equal),
            "cores" => (true, OtherRule.Cores),
            _ => (false, OtherRule.Proportional),
        };
        return ok;
    }
}

/// <summary>
/// A node meter's account in the books, kept across restarts. By construction, to the microjoule:
/// <c>MeterUj = CoveredComponentsUj + OtherUj − DeficitUj</c>, and <c>OtherUj</c> is what the jobs, idle, unattributed
/// and retired jobs carry as <c>other</c> (plus what is held for the window's split).
/// </summary>
public sealed class NodeMeterBook
{
    public string Device { get; set; } = "";
    public string Rule { get; set; } = "proportional";

    /// <summary>A calibration model's mean absolute percentage error when a model stands in for the meter; set at every start, not kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public double? MapePct { get; set; }

    /// <summary>The meter's energy over the ticks it covered.</summary>
    public long MeterUj { get; set; }

    /// <summary>The CPUs', memory's and GPUs' energy over the same ticks.</summary>
    public long CoveredComponentsUj { get; set; }

    /// <summary>The residual charged as <c>other</c>: never negative.</summary>
    public long OtherUj { get; set; }

    /// <summary>
    /// Components' energy beyond the meter's, not yet made up: a negative residual is not charged (nor taken back from
    /// the jobs) but carried, so that a meter that lags (a BMC refreshing once a minute) is compared over its own span.
    /// </summary>
    public long DeficitUj { get; set; }

    /// <summary>Ticks whose residual was negative (counted, logged by the agent, never charged).</summary>
    public long NegativeIntervals { get; set; }
}
