namespace Coca.Sources.Powercap;

/// <summary>What a powercap zone measures, from its <c>name</c> (never from its index).</summary>
public enum RaplZoneRole
{
    /// <summary><c>package-N</c> or <c>package-N-die-M</c>: a whole socket or die. Counted as CPU.</summary>
    Package,
    /// <summary><c>dram</c> under a package. Counted as memory.</summary>
    Dram,
    /// <summary><c>core</c>: the cores, inside the package. Reported, never added.</summary>
    Core,
    /// <summary><c>uncore</c>: the integrated GPU and caches, inside the package. Reported, never added.</summary>
    Uncore,
    /// <summary><c>psys</c>: the whole SoC platform, a superset of the others. Reported separately.</summary>
    Psys,
    /// <summary>A name this version does not know. Reported, never added.</summary>
    Unknown,
}
