namespace Coca.Agent.State;

/// <summary>
/// Everything the agent must not lose: each device's total and last raw counter, each job's books,
/// idle and unattributed totals, all taken at the same tick. Saved atomically after every tick; a
/// restarted agent resumes from it and from the hardware counters, so energy is neither lost nor counted twice.
/// </summary>
public sealed class AgentState
{
    public int Version { get; set; } = 1;
    public string Node { get; set; } = "";

    /// <summary>Unix seconds of the tick this state was taken at.</summary>
    public double TakenAt { get; set; }

    /// <summary>Sequence number of the next batch for the server: batches are numbered so that a replay changes nothing.</summary>
    public long NextBatchSequence { get; set; } = 1;

    public Dictionary<string, DeviceBook> Devices { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, JobBook> Jobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Energy of devices nobody held, per component (cpu, dram, gpu, other), µJ.</summary>
    public long[] IdleUj { get; set; } = new long[4];

    /// <summary>Energy no rule could place, per component, µJ.</summary>
    public long[] UnattributedUj { get; set; } = new long[4];

    /// <summary>Energy of finished jobs whose books were retired, per component, µJ: keeps the books balanced.</summary>
    public long[] RetiredUj { get; set; } = new long[4];
}

/// <summary>A device's running total across agent restarts.</summary>
public sealed class DeviceBook
{
    public string Kind { get; set; } = "";
    public long TotalUj { get; set; }

    /// <summary>Raw hardware counter at <see cref="AgentState.TakenAt"/>; null without a hardware counter.</summary>
    public ulong? Raw { get; set; }

    public double PowerW { get; set; } = double.NaN;
}

/// <summary>A job's books: energy per component, GPU use, coverage, and when it stopped doing GPU work.</summary>
public sealed class JobBook
{
    public string JobId { get; set; } = "";
    public string User { get; set; } = "";
    public double Start { get; set; }
    public double? End { get; set; }

    /// <summary>Per component: cpu, dram, gpu, other (µJ).</summary>
    public long[] EnergyUj { get; set; } = new long[4];

    /// <summary>Per component: the weakest provenance seen (0 none, 1 measured, 2 derived, 3 estimated).</summary>
    public int[] Provenance { get; set; } = new int[4];

    public List<string> Gpus { get; set; } = [];
    public string CpuShareBasis { get; set; } = "";
    public double GpuSeconds { get; set; }
    public double GpuBusySeconds { get; set; }
    public double IdleGpuSeconds { get; set; }
    public double? LastGpuActivity { get; set; }

    /// <summary>The job's energy since its GPUs were last active: what stopping then would have saved.</summary>
    public long EnergyAfterLastGpuActivityUj { get; set; }

    /// <summary>Seconds of the job's span that fell in ticks with readings.</summary>
    public double CoveredSeconds { get; set; }

    public bool Final { get; set; }
    public double? FinalAt { get; set; }
}
