namespace Coca.Sources.Nvml;

/// <summary>Every <c>nvmlReturn_t</c> of nvml.h, by name.</summary>
public enum NvmlReturn
{
    Success = 0,
    Uninitialized = 1,
    InvalidArgument = 2,
    NotSupported = 3,
    NoPermission = 4,
    AlreadyInitialized = 5,
    NotFound = 6,
    InsufficientSize = 7,
    InsufficientPower = 8,
    DriverNotLoaded = 9,
    Timeout = 10,
    IrqIssue = 11,
    LibraryNotFound = 12,
    FunctionNotFound = 13,
    CorruptedInforom = 14,
    GpuIsLost = 15,
    ResetRequired = 16,
    OperatingSystem = 17,
    LibRmVersionMismatch = 18,
    InUse = 19,
    Memory = 20,
    NoData = 21,
    VgpuEccNotSupported = 22,
    InsufficientResources = 23,
    FreqNotSupported = 24,
    ArgumentVersionMismatch = 25,
    Deprecated = 26,
    NotReady = 27,
    GpuNotFound = 28,
    InvalidState = 29,
    Unknown = 999,
}

public static class NvmlReturnExtensions
{
    /// <summary>NVML_ERROR_… name as the header spells it, for messages people can search.</summary>
    public static string ToNvmlName(this NvmlReturn rc) => rc switch
    {
        NvmlReturn.Success => "NVML_SUCCESS",
        _ when Enum.IsDefined(rc) => "NVML_ERROR_" + string.Concat(rc.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant(),
        _ => $"NVML_ERROR_{(int)rc}",
    };

    /// <summary>Answers that mean "this device cannot tell you that", not a failure.</summary>
    public static bool IsNormalRefusal(this NvmlReturn rc) => rc is NvmlReturn.NotSupported or NvmlReturn.NoPermission;
}
