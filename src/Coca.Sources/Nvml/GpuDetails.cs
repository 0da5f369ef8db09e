namespace Coca.Sources.Nvml;

/// <summary>A process NVML sees on a GPU.</summary>
public sealed record GpuProcess(int Pid, ulong UsedMemoryBytes, uint GpuInstanceId, uint ComputeInstanceId);

/// <summary>What <c>coca sensors</c> and the agent read now and then (not every tick): temperature, processes.</summary>
public sealed record GpuDetails(string Uuid, double? TemperatureC, bool MigEnabled, IReadOnlyList<GpuProcess> Processes, string? Problem);
