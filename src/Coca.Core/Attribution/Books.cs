using System.Text.Json.Serialization;
using Coca.Core.Units;

namespace Coca.Core.Attribution;

/// <summary>
/// The attribution engine's books for one node: each device's total and last raw counter, each holder's (job's)
/// energy, idle and unattributed totals, all taken at the same tick. The agent saves them; a restarted agent
/// resumes from them and from the hardware counters, so energy is neither lost nor counted twice.
/// Devices' energy = jobs + retired + idle + unattributed (+ held, between window splits), to the microjoule.
/// </summary>
public sealed class Books
{
    public int Version { get; set; } = 1;
    public string Node { get; set; } = "";

    /// <summary>Unix seconds of the tick these books were taken at.</summary>
    public double TakenAt { get; set; }

    /// <summary>Sequence number of the next batch for the server: batches are numbered so that a replay changes nothing.</summary>
    public long NextBatchSequence { get; set; } = 1;

    /// <summary>
    /// Random id of the agent run that numbers the batches, new at every start and saved before its first batch:
    /// the server keys batches by node, incarnation and sequence, so a restarted agent (after a SIGKILL, or with its
    /// books reset) is never taken for a replay of batches it numbered before. Empty in books of earlier versions.
    /// </summary>
    public string Incarnation { get; set; } = "";

    /// <summary>The monotonic timestamp at <see cref="TakenAt"/>, and the boot it belongs to: the time an agent was down, whatever the wall clock did.</summary>
    public long? TakenAtTimestamp { get; set; }

    public string? BootId { get; set; }

    public Dictionary<string, DeviceBook> Devices { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, JobBook> Jobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The node meter's account (<c>other</c> = node − components); null on a node without a meter.</summary>
    public NodeMeterBook? NodeMeter { get; set; }

    /// <summary>Energy of devices nobody held.</summary>
    [JsonIgnore] public ComponentEnergy Idle;

    /// <summary>Energy no rule could place (a holder whose share is unknown; the rest of the node before its rule).</summary>
    [JsonIgnore] public ComponentEnergy Unattributed;

    /// <summary>Energy of finished jobs whose books were retired: keeps the books balanced.</summary>
    [JsonIgnore] public ComponentEnergy Retired;

    // The books' shape on disk since version 1: µJ per component as [cpu, dram, gpu, other].
    [JsonPropertyName("idle_uj")]
    public long[] IdleOnDisk { get => Idle.Microjoules(); set => Idle.SetMicrojoules(value); }

    [JsonPropertyName("unattributed_uj")]
    public long[] UnattributedOnDisk { get => Unattributed.Microjoules(); set => Unattributed.SetMicrojoules(value); }

    [JsonPropertyName("retired_uj")]
    public long[] RetiredOnDisk { get => Retired.Microjoules(); set => Retired.SetMicrojoules(value); }

    /// <summary>Everything placed: jobs still in the books, retired jobs, idle and unattributed.</summary>
    public Energy Placed()
    {
        var placed = Retired.Total + Idle.Total + Unattributed.Total;
        foreach (var job in Jobs.Values) placed += job.Energy.Total;
        return placed;
    }

    /// <summary>Forgets a finished job's books, keeping its energy in the retired total so the books still balance.</summary>
    public void Retire(string jobId)
    {
        if (Jobs.Remove(jobId, out var book)) Retired.Add(book.Energy);
    }
}

/// <summary>A device's running total across agent restarts, with what its counter went through.</summary>
public sealed class DeviceBook
{
    public string Kind { get; set; } = "";
    public long TotalUj { get; set; }

    /// <summary>Raw hardware counter at <see cref="Books.TakenAt"/>; null without a hardware counter.</summary>
    public ulong? Raw { get; set; }

    public double PowerW { get; set; } = double.NaN;

    /// <summary>Counter wraps seen (at its maximum range), since the books began.</summary>
    public long Wraps { get; set; }

    /// <summary>Counter resets seen (a driver reload, a reboot): the new value was taken as the energy since.</summary>
    public long Resets { get; set; }

    /// <summary>Steps larger than the device could have drawn, counted as zero.</summary>
    public long Rejected { get; set; }

    [JsonIgnore] public Energy Total => new(TotalUj);
}

/// <summary>A job's books: energy per component with its provenance, GPU use, coverage, and when it stopped doing GPU work.</summary>
public sealed class JobBook
{
    public string JobId { get; set; } = "";
    public string User { get; set; } = "";
    public double Start { get; set; }
    public double? End { get; set; }

    /// <summary>The job's energy per component, with the weakest provenance seen for each.</summary>
    [JsonIgnore] public ComponentEnergy Energy;

    // The books' shape on disk since version 1: µJ as [cpu, dram, gpu, other]; provenance as 0 none … 3 estimated.
    [JsonPropertyName("energy_uj")]
    public long[] EnergyOnDisk { get => Energy.Microjoules(); set => Energy.SetMicrojoules(value); }

    [JsonPropertyName("provenance")]
    public int[] ProvenanceOnDisk { get => OnDisk.Provenances(Energy); set => OnDisk.SetProvenances(ref Energy, value); }

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

    // Per GPU of Gpus, in its order (absent from books before them: sized, from zero, when the engine takes the job).
    /// <summary>The energy charged to the job from each of its GPUs (µJ).</summary>
    public long[]? GpuEnergyUj { get; set; }

    /// <summary>The highest utilisation (0–1) read from each of its GPUs while the job held it; null while none was read.</summary>
    public double?[]? GpuPeakUtilisation { get; set; }

    /// <summary>The ML framework its processes mapped (<see cref="Jobs.Frameworks"/>); null until one is seen.</summary>
    public string? Framework { get; set; }

    /// <summary>Interactive (no batch step in its cgroup) or batch; null until the agent can tell.</summary>
    public bool? Interactive { get; set; }

    /// <summary>
    /// How far the agent has read the job's metrics file (<c>metrics/JOBID.csv</c>): the bytes and the lines of the complete
    /// lines already sent, so that a restart goes on after them.
    /// </summary>
    public long MetricsOffset { get; set; }

    public long MetricsLines { get; set; }

    /// <summary>Sizes the per-GPU figures to <see cref="Gpus"/>, keeping what they hold: allocates only when they do not fit.</summary>
    public void EnsureGpuSlots()
    {
        var n = Gpus.Count;
        if (GpuEnergyUj?.Length != n)
        {
            var energy = new long[n];
            GpuEnergyUj?.AsSpan(0, Math.Min(n, GpuEnergyUj.Length)).CopyTo(energy);
            GpuEnergyUj = energy;
        }
        if (GpuPeakUtilisation?.Length != n)
        {
            var peak = new double?[n];
            GpuPeakUtilisation?.AsSpan(0, Math.Min(n, GpuPeakUtilisation.Length)).CopyTo(peak);
            GpuPeakUtilisation = peak;
        }
    }

    /// <summary>
    /// The GPUs the job held that were read and never seen above 0 % utilisation, and the energy charged to it from
    /// them (µJ). A GPU never read is not counted: unknown is not unused.
    /// </summary>
    public int UnusedGpus(out long energyUj)
    {
        energyUj = 0;
        var unused = 0;
        if (GpuPeakUtilisation is not { } peaks || GpuEnergyUj is not { } energy) return 0;
        for (var k = 0; k < peaks.Length && k < energy.Length; k++)
        {
            if (peaks[k] is not 0.0) continue;
            unused++;
            energyUj += energy[k];
        }
        return unused;
    }

    /// <summary>The share of the job's span (to its end, or to <paramref name="now"/> while it runs) that had readings, 0–1.</summary>
    public double Coverage(double now)
    {
        var until = End ?? now;
        return until > Start ? Math.Clamp(CoveredSeconds / (until - Start), 0, 1) : 1;
    }
}

/// <summary>Provenance as the books write it (0 none … 3 estimated); only the JSON mapping uses it.</summary>
internal static class OnDisk
{
    public static int[] Provenances(in ComponentEnergy e) =>
        [(int)e.ProvenanceOf(ComponentKind.Cpu), (int)e.ProvenanceOf(ComponentKind.Dram), (int)e.ProvenanceOf(ComponentKind.Gpu), (int)e.ProvenanceOf(ComponentKind.Other)];

    public static void SetProvenances(ref ComponentEnergy e, int[]? values)
    {
        for (var c = 0; c < 4; c++)
        {
            var p = values is not null && c < values.Length && values[c] is >= 0 and <= 3 ? (Provenance)values[c] : Provenance.None;
            e.SetProvenance(ComponentEnergy.Components[c], p);
        }
    }
}
