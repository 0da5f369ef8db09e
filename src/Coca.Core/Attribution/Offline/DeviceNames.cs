using Coca.Core.Units;

namespace Coca.Core.Attribution.Offline;

/// <summary>A device's component from its name in recorded data: <c>gpu*</c>, <c>package-*</c>, <c>dram-*</c>; anything else is <c>other</c>.</summary>
public static class DeviceNames
{
    public static ComponentKind KindOf(string device) => device switch
    {
        _ when device.StartsWith("gpu", StringComparison.OrdinalIgnoreCase) => ComponentKind.Gpu,
        _ when device.StartsWith("package-", StringComparison.OrdinalIgnoreCase) => ComponentKind.Cpu,
        _ when device.StartsWith("dram", StringComparison.OrdinalIgnoreCase) => ComponentKind.Dram,
        _ => ComponentKind.Other,
    };

    public static string Key(string node, string device) => node + "/" + device;
}
