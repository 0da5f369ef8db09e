namespace Coca.Core.Estimation;

/// <summary>Estimated DRAM power from installed memory: a constant, whatever the load.</summary>
public static class MemoryPowerModel
{
    /// <summary>Watts per GB of installed memory.</summary>
    public const double WattsPerGb = 0.3725;

    public const string Source = "Green Algorithms memory power, 0.3725 W/GB (Lannelongue et al. 2021)";

    public static double Watts(double installedGb) => Math.Max(0, installedGb) * WattsPerGb;

    public static string Basis(double installedGb) => $"{installedGb:0.#} GB × {WattsPerGb} W/GB ({Source})";
}
