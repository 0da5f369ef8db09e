using Coca.Agent.State;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Engine;

/// <summary>
/// A job the agent charges: its span, the GPU devices it holds (by index in the device list), and its
/// share of the CPU packages and DRAM, updated in place each tick so that a tick allocates nothing.
/// </summary>
internal sealed class ActiveJob
{
    public ActiveJob(JobRecord record, IReadOnlyList<string> gpuDeviceIds, int[] gpuDevices, double cpuShare, string cpuShareBasis)
    {
        Record = record;
        GpuDeviceIds = gpuDeviceIds;
        GpuDevices = gpuDevices;
        CpuShare = cpuShare;
        CpuShareBasis = cpuShareBasis;
        WithRecord(record);
    }

    public JobRecord Record { get; private set; } = null!;
    public IReadOnlyList<string> GpuDeviceIds { get; }

    /// <summary>Indices of the held GPUs in the agent's device list.</summary>
    public int[] GpuDevices { get; }

    public double CpuShare { get; set; }
    public string CpuShareBasis { get; set; }

    /// <summary>The job's books, found once by the engine.</summary>
    public JobBook? Book { get; set; }

    public string Id => Record.JobId;
    public double From { get; private set; }
    public double To { get; private set; }

    public ActiveJob WithRecord(JobRecord record)
    {
        Record = record;
        From = record.StartedAt.ToUnixTimeMilliseconds() / 1000.0;
        To = record.EndedAt is { } end ? end.ToUnixTimeMilliseconds() / 1000.0 : double.PositiveInfinity;
        return this;
    }

    public double Overlap(double start, double end) => Math.Max(0, Math.Min(end, To) - Math.Max(start, From));
}
