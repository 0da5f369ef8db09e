using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Procfs;

namespace Coca.Tracker.Results;

internal static class MachineFactsReader
{
    public static MachineFacts Read(string procfsRoot, IReadOnlyList<DeviceInfo> devices)
    {
        var cpu = CpuInfo.Read(procfsRoot);
        var gpus = devices.Where(d => d.Component == ComponentKind.Gpu && d.Counted).ToList();
        var gpuModels = gpus
            .Select(g => g.Attributes.TryGetValue("name", out var n) ? n : g.Label)
            .GroupBy(n => n)
            .Select(g => $"{g.Count()} x {g.Key}");
        return new MachineFacts(
            Environment.MachineName,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            cpu.ModelName,
            cpu.LogicalCpus,
            MemInfo.TotalGb(procfsRoot) ?? 0,
            gpus.Count,
            string.Join(", ", gpuModels));
    }
}
