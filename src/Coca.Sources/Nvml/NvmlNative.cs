using System.Runtime.InteropServices;

namespace Coca.Sources.Nvml;

/// <summary>
/// The NVML functions the core may call, source-generated (AOT-safe). The library behind
/// <see cref="Library"/> is chosen by <see cref="NvmlLibrary"/> through a DllImport resolver, so that
/// <c>--nvml-lib</c> can point anywhere. Optional functions are not here: they are resolved with
/// <c>NativeLibrary.TryGetExport</c> so that an older driver without them still works.
/// </summary>
internal static unsafe partial class NvmlNative
{
    public const string Library = "nvidia-ml";

    public static readonly string[] RequiredSymbols =
    [
        "nvmlInit_v2", "nvmlShutdown", "nvmlErrorString", "nvmlSystemGetDriverVersion", "nvmlDeviceGetCount_v2",
        "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3",
        "nvmlDeviceGetIndex", "nvmlDeviceGetMinorNumber", "nvmlDeviceGetTotalEnergyConsumption", "nvmlDeviceGetPowerUsage",
        "nvmlDeviceGetEnforcedPowerLimit", "nvmlDeviceGetUtilizationRates", "nvmlDeviceGetMemoryInfo",
        "nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetMigMode", "nvmlDeviceGetTemperature",
    ];

    [LibraryImport(Library, EntryPoint = "nvmlInit_v2")]
    public static partial NvmlReturn Init();

    [LibraryImport(Library, EntryPoint = "nvmlShutdown")]
    public static partial NvmlReturn Shutdown();

    [LibraryImport(Library, EntryPoint = "nvmlErrorString")]
    public static partial byte* ErrorString(NvmlReturn result);

    [LibraryImport(Library, EntryPoint = "nvmlSystemGetDriverVersion")]
    public static partial NvmlReturn SystemGetDriverVersion(byte* version, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetCount_v2")]
    public static partial NvmlReturn DeviceGetCount(uint* count);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    public static partial NvmlReturn DeviceGetHandleByIndex(uint index, nint* device);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetName")]
    public static partial NvmlReturn DeviceGetName(nint device, byte* name, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetUUID")]
    public static partial NvmlReturn DeviceGetUuid(nint device, byte* uuid, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetPciInfo_v3")]
    public static partial NvmlReturn DeviceGetPciInfo(nint device, NvmlPciInfo* pci);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetIndex")]
    public static partial NvmlReturn DeviceGetIndex(nint device, uint* index);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMinorNumber")]
    public static partial NvmlReturn DeviceGetMinorNumber(nint device, uint* minor);

    /// <summary>Millijoules since the driver was loaded (Volta and newer).</summary>
    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetTotalEnergyConsumption")]
    public static partial NvmlReturn DeviceGetTotalEnergyConsumption(nint device, ulong* energyMj);

    /// <summary>Milliwatts.</summary>
    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetPowerUsage")]
    public static partial NvmlReturn DeviceGetPowerUsage(nint device, uint* powerMw);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetEnforcedPowerLimit")]
    public static partial NvmlReturn DeviceGetEnforcedPowerLimit(nint device, uint* limitMw);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetUtilizationRates")]
    public static partial NvmlReturn DeviceGetUtilizationRates(nint device, NvmlUtilization* utilization);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    public static partial NvmlReturn DeviceGetMemoryInfo(nint device, NvmlMemory* memory);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetComputeRunningProcesses_v3")]
    public static partial NvmlReturn DeviceGetComputeRunningProcesses(nint device, uint* count, NvmlProcessInfo* infos);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMigMode")]
    public static partial NvmlReturn DeviceGetMigMode(nint device, uint* current, uint* pending);

    /// <summary>Sensor 0 is NVML_TEMPERATURE_GPU; degrees Celsius.</summary>
    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetTemperature")]
    public static partial NvmlReturn DeviceGetTemperature(nint device, int sensor, uint* temperature);
}
