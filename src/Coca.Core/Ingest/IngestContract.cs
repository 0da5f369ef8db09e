namespace Coca.Core.Ingest;

/// <summary>A job's energy on one node as its agent last reported it: cumulative totals, so the newest report wins.</summary>
public sealed record JobMeasurement
{
    public required string JobIdRaw { get; init; }
    public required string Node { get; init; }
    public string? User { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }

    /// <summary>Per component, µJ: cpu, dram, gpu, other.</summary>
    public required long[] EnergyUj { get; init; }

    /// <summary>Per component: <c>measured</c>, <c>derived</c>, <c>estimated</c> or <c>none</c>.</summary>
    public required string[] Provenance { get; init; }

    public double Coverage { get; init; }
    public double GpuSeconds { get; init; }
    public double GpuBusySeconds { get; init; }
    public double IdleGpuSeconds { get; init; }
    public DateTimeOffset? LastGpuActivity { get; init; }
    public long EnergyAfterLastGpuActivityUj { get; init; }
    public bool Final { get; init; }

    /// <summary>When the agent took these figures: an older report never overwrites a newer one.</summary>
    public required DateTimeOffset AsOf { get; init; }
}

/// <summary>One point of a device's downsampled series for a job.</summary>
public sealed record SeriesPoint(string JobIdRaw, string Node, string Device, DateTimeOffset Time, long EnergyUj, double? PowerW, double? Utilisation);

/// <summary>What an agent sends: its node's jobs (cumulative figures) and series points, numbered so that a replay changes nothing.</summary>
public sealed record IngestBatch(string Node, long Sequence, IReadOnlyList<JobMeasurement> Jobs, IReadOnlyList<SeriesPoint> Series);
