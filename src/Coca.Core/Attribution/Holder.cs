namespace Coca.Core.Attribution;

/// <summary>
/// Something the engine charges energy to — a Slurm job on a node, a command under <c>coca run</c>, a job of a recorded
/// scenario: its span, the GPUs it holds whole (by index in the engine's device list) and its share of the CPU
/// packages and DRAM. Updated in place between windows, so that a tick allocates nothing.
/// </summary>
public sealed class Holder
{
    public Holder(string id, string user, double from, double to, IReadOnlyList<string> gpuDeviceIds, int[] gpuDevices, double cpuShare, string cpuShareBasis)
    {
        Id = id;
        User = user;
        GpuDeviceIds = gpuDeviceIds;
        GpuDevices = gpuDevices;
        CpuShare = cpuShare;
        CpuShareBasis = cpuShareBasis;
        SetSpan(from, to);
    }

    public string Id { get; }
    public string User { get; set; }

    /// <summary>Ids of the held GPUs, as written into the books.</summary>
    public IReadOnlyList<string> GpuDeviceIds { get; }

    /// <summary>Indices of the held GPUs in the engine's device list.</summary>
    public int[] GpuDevices { get; }

    /// <summary>Share (0–1) of the node's CPU packages and DRAM over the current window; NaN: unknown (that part stays unattributed).</summary>
    public double CpuShare { get; set; }

    /// <summary>How <see cref="CpuShare"/> was found, in words (cgroup CPU time, allocated CPUs, a recorded figure).</summary>
    public string CpuShareBasis { get; set; }

    /// <summary>The holder's books, found once by the engine.</summary>
    public JobBook? Book { get; set; }

    /// <summary>Start, Unix seconds (the clock of the engine's ticks).</summary>
    public double From { get; private set; }

    /// <summary>End, exclusive; <see cref="double.PositiveInfinity"/> while it runs.</summary>
    public double To { get; private set; }

    public void SetSpan(double from, double to)
    {
        From = from;
        To = to;
    }

    public double Overlap(double start, double end) => Math.Max(0, Math.Min(end, To) - Math.Max(start, From));
}
