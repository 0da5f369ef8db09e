using System.Globalization;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Jobs;

/// <summary>
/// The GPUs a job holds, as indices into the agent's device list. Slurm's GPU indices are the minor numbers of
/// /dev/nvidiaN, never NVML's index; when no source knows minor numbers (nvidia-smi), NVML's index is the best there
/// is. A <c>CUDA_VISIBLE_DEVICES</c> of UUIDs is matched by UUID. MIG instances are charged through their own holders.
/// </summary>
internal sealed class GpuMapping(IReadOnlyList<DeviceInfo> devices, Action<string> warn)
{
    private readonly int[] _wholeGpus = [.. Enumerable.Range(0, devices.Count)
        .Where(i => devices[i].Component == ComponentKind.Gpu && devices[i].Gpu is { IsMigInstance: false })];

    public (IReadOnlyList<string> Ids, int[] Indices) Of(JobRecord record)
    {
        var result = new List<int>();
        var indices = record.GpuIndices.Count > 0 ? record.GpuIndices : PrologEnvironment.ParseIndices(IsIndexList(record.CudaVisibleDevices) ? record.CudaVisibleDevices : null);
        var byMinor = _wholeGpus.Any(i => devices[i].Gpu!.Minor is not null);
        foreach (var index in indices)
        {
            var k = Array.FindIndex(_wholeGpus, i => (byMinor ? devices[i].Gpu!.Minor : devices[i].Gpu!.NvmlIndex) == index);
            if (k >= 0) result.Add(_wholeGpus[k]);
            else warn($"job {record.JobId}: Slurm GPU index {index.ToString(CultureInfo.InvariantCulture)} (/dev/nvidia{index.ToString(CultureInfo.InvariantCulture)}) matches no GPU of this node; its energy stays idle");
        }
        if (indices.Count == 0 && record.CudaVisibleDevices is { } visible && !IsIndexList(visible))
        {
            foreach (var uuid in visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var i = Array.FindIndex(_wholeGpus, g => devices[g].Gpu!.Uuid == uuid);
                if (i >= 0) result.Add(_wholeGpus[i]);
            }
        }
        return (result.Select(i => devices[i].Id).ToList(), result.ToArray());
    }

    private static bool IsIndexList(string? text) => text is { Length: > 0 } && text.All(c => char.IsAsciiDigit(c) || c == ',');
}
