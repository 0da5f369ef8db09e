namespace Coca.Core.Units;

/// <summary>The component an energy figure belongs to; the keys of <c>energy_j</c> in every output.</summary>
public enum ComponentKind
{
    Cpu,
    Dram,
    Gpu,
    /// <summary>Everything else in the node (fans, PSU loss, disks, NICs), when a node meter tells it.</summary>
    Other,
}

public static class ComponentKindExtensions
{
    public static string ToWire(this ComponentKind kind) => kind switch
    {
        ComponentKind.Cpu => "cpu",
        ComponentKind.Dram => "dram",
        ComponentKind.Gpu => "gpu",
        _ => "other",
    };
}
