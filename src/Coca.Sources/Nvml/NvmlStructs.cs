using System.Runtime.InteropServices;

namespace Coca.Sources.Nvml;

/// <summary><c>nvmlPciInfo_t</c> as filled by <c>nvmlDeviceGetPciInfo_v3</c> (68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NvmlPciInfo
{
    public fixed byte BusIdLegacy[16];
    public uint Domain;
    public uint Bus;
    public uint Device;
    public uint PciDeviceId;
    public uint PciSubSystemId;
    public fixed byte BusId[32];
}

/// <summary><c>nvmlUtilization_t</c>: percent of the last sample period.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}

/// <summary><c>nvmlMemory_t</c>, bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}

/// <summary><c>nvmlProcessInfo_t</c> for the <c>_v3</c> calls: {uint pid; ulong usedGpuMemory; uint gpuInstanceId; uint computeInstanceId}, 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    public uint Pid;
    public ulong UsedGpuMemory;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}

/// <summary><c>nvmlDeviceAttributes_t</c> (<c>nvmlDeviceGetAttributes_v2</c>), 40 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlDeviceAttributes
{
    public uint MultiprocessorCount;
    public uint SharedCopyEngineCount;
    public uint SharedDecoderCount;
    public uint SharedEncoderCount;
    public uint SharedJpegCount;
    public uint SharedOfaCount;
    public uint GpuInstanceSliceCount;
    public uint ComputeInstanceSliceCount;
    public ulong MemorySizeMb;
}
