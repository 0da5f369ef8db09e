using System.Text.Json.Serialization;
using Coca.Core.Attribution;
using Coca.Core.Units;

namespace Coca.Core.Ingest;

/// <summary>A job's energy on one node as its agent last reported it: cumulative totals, so the newest report wins.</summary>
public sealed record JobMeasurement
{
    public required string JobIdRaw { get; init; }
    public required string Node { get; init; }
    public string? User { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }

    private ComponentEnergy _energy;

    /// <summary>The job's energy on this node per component, with provenance.</summary>
    [JsonIgnore]
    public ComponentEnergy Energy { get => _energy; init => _energy = value; }

    // The wire since version 1: µJ as [cpu, dram, gpu, other], provenance as words in the same order.
    [JsonPropertyName("energy_uj")]
    public long[] EnergyOnWire
    {
        get => _energy.Microjoules();
        init => _energy.SetMicrojoules(value);
    }

    [JsonPropertyName("provenance")]
    public string[] ProvenanceOnWire
    {
        get => [.. ComponentEnergy.Components.Select(c => _energy.ProvenanceOf(c).ToWire())];
        init
        {
            for (var c = 0; c < 4; c++) _energy.SetProvenance(ComponentEnergy.Components[c], value is not null && c < value.Length ? ProvenanceExtensions.FromWire(value[c]) : Provenance.None);
        }
    }

    public double Coverage { get; init; }
    public double GpuSeconds { get; init; }
    public double GpuBusySeconds { get; init; }
    public double IdleGpuSeconds { get; init; }
    public DateTimeOffset? LastGpuActivity { get; init; }
    public long EnergyAfterLastGpuActivityUj { get; init; }

    /// <summary>
    /// GPUs the job held on this node that stayed at 0 % utilisation the whole time, and their energy (µJ); 0 is "every
    /// GPU it held was used". Null in batches of agents before them (not known, never "none unused").
    /// </summary>
    public int? UnusedGpus { get; init; }
    public long? UnusedGpuUj { get; init; }

    /// <summary>The ML framework the job's processes mapped (<c>pytorch</c>, <c>tensorflow</c>, <c>jax</c>, <c>cuda</c>); null when none seen.</summary>
    public string? Framework { get; init; }

    /// <summary>Interactive (no batch step in the job's cgroup) or batch; null when the agent could not tell.</summary>
    public bool? Interactive { get; init; }
    public bool Final { get; init; }

    /// <summary>How the job's <c>other</c> on this node was charged (rule, meter or model, the model's error); null without a node meter or model.</summary>
    public OtherCharge? OtherCharge { get; init; }

    /// <summary>When the agent took these figures: an older report never overwrites a newer one.</summary>
    public required DateTimeOffset AsOf { get; init; }
}

/// <summary>One point of a device's downsampled series for a job.</summary>
public sealed record SeriesPoint(string JobIdRaw, string Node, string Device, DateTimeOffset Time, long EnergyUj, double? PowerW, double? Utilisation);

/// <summary>
/// A metric a job's script reported on the node (<c>coca metric</c>, <c>log_metric</c>), as its agent read it from the job's
/// file: the store keeps one value per job, name and step, so a point sent twice changes nothing.
/// </summary>
public sealed record IngestMetric(string JobIdRaw, string Name, double Value, long Step, DateTimeOffset? Time);

/// <summary>
/// What an agent sends: its node's jobs (cumulative figures), series points and the jobs' new metrics, numbered so that
/// a replay changes nothing. <paramref name="Incarnation"/> is the agent run that numbered it (absent in batches of
/// earlier agents): batches are keyed by node, incarnation and sequence, so a restarted agent's numbers never read as
/// replays. <paramref name="Metrics"/> is absent in batches of agents before it, and only for jobs the batch carries.
/// </summary>
public sealed record IngestBatch(string Node, long Sequence, IReadOnlyList<JobMeasurement> Jobs, IReadOnlyList<SeriesPoint> Series, string? Incarnation = null,
    IReadOnlyList<IngestMetric>? Metrics = null)
{
    /// <summary>The node meter's account so far (agents with a meter of their own only); null otherwise, and from agents before it.</summary>
    public NodeMeterTotals? NodeMeter { get; init; }

    /// <summary>Who numbered the batch, as the server keeps sequences: the node, and its agent run when the batch names one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string SequenceKey => string.IsNullOrEmpty(Incarnation) ? Node : Node + "/" + Incarnation;

    /// <summary>An incarnation is 32 lowercase hex digits (a random 128-bit id), or absent.</summary>
    public static bool IsValidIncarnation(string? incarnation) =>
        string.IsNullOrEmpty(incarnation) || (incarnation.Length == 32 && incarnation.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
}

/// <summary>
/// A node meter's account as the agent's books keep it (<see cref="NodeMeterBook"/>): cumulative since the books began,
/// the meter's energy and the CPUs', memory's and GPUs' over the same ticks (those the meter covered), in µJ. The server
/// keeps the steps between reports per node and hour for <c>coca findings</c>' software-vs-wall gap.
/// </summary>
public sealed record NodeMeterTotals(string Device, long MeterUj, long ComponentsUj, DateTimeOffset AsOf);
