using Coca.Core.Gpu;
using Coca.Core.Units;

namespace Coca.Core.Readings;

/// <summary>
/// One measurable thing on one node: <c>package-0</c>, <c>dram-0</c>, <c>psys</c>, <c>gpu:&lt;uuid&gt;</c>,
/// <c>estimate:cpu</c>. <see cref="Counted"/> says whether its energy adds into its component's total:
/// sub-zones (<c>core</c>, <c>uncore</c>), supersets (<c>psys</c>) and duplicates are reported, never added.
/// </summary>
public sealed record DeviceInfo(string Id, ComponentKind Component, bool Counted, string Source, string Label)
{
    /// <summary>Why the device is or is not counted, in words, when that is not obvious.</summary>
    public string? Note { get; init; }

    /// <summary>Microjoules per unit of <see cref="DeviceSample.RawCounter"/> (1 for RAPL, 1000 for NVML); 0: no hardware counter.</summary>
    public double CounterUnitUj { get; init; }

    /// <summary>Largest raw value before the counter wraps to zero; null when it does not wrap.</summary>
    public ulong? CounterMax { get; init; }

    /// <summary>The most the device can draw (RAPL max power, GPU power limit), W; null when unknown. Bounds plausible counter steps.</summary>
    public double? MaxPowerW { get; init; }

    /// <summary>
    /// The device meters the whole node (a BMC, a wattmeter on its power supplies): never counted into a component, it
    /// is the total the engine's <c>other</c> is the residual of (node − CPU − DRAM − GPU).
    /// </summary>
    public bool NodeTotal { get; init; }

    /// <summary>A GPU's UUID, indices and MIG parent; null for other devices.</summary>
    public GpuAddress? Gpu { get; init; }

    /// <summary>Source-specific identity and facts (UUID, PCI bus id, index label, wrap range, TDP).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
