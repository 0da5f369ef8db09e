namespace Coca.Core.Estimation;

/// <summary>
/// The estimated full-load power of the CPUs this machine shows, and how it was chosen.
/// Power at a moment is <see cref="MaxWatts"/> × CPU utilisation: an estimate, labelled as such.
/// </summary>
public sealed record CpuPowerModel(double MaxWatts, string Basis)
{
    /// <param name="modelName">model name from /proc/cpuinfo (may be empty in VMs and on ARM)</param>
    /// <param name="visibleCores">physical cores this machine shows (logical CPUs when unknown)</param>
    /// <param name="sockets">packages this machine shows</param>
    public static CpuPowerModel For(string modelName, int visibleCores, int sockets)
    {
        visibleCores = Math.Max(1, visibleCores);
        sockets = Math.Max(1, sockets);
        if (!string.IsNullOrWhiteSpace(modelName) && CpuTdpTable.Match(modelName) is { } row)
        {
            // A VM may show only part of a package: charge per visible core, never above the packages' TDP.
            var watts = Math.Min(row.WattsPerCore * visibleCores, row.TdpWatts * sockets);
            return new CpuPowerModel(watts,
                $"TDP of {row.Model}: {row.TdpWatts:0.#} W for {row.Cores} cores, {visibleCores} core(s) visible ({CpuTdpTable.Source})");
        }
        var label = string.IsNullOrWhiteSpace(modelName) ? "unknown CPU model" : $"CPU model '{modelName.Trim()}' not in the TDP table";
        return new CpuPowerModel(CpuTdpTable.DefaultWattsPerCore * visibleCores,
            $"{label}: default {CpuTdpTable.DefaultWattsPerCore:0.#} W per core × {visibleCores} core(s) ({CpuTdpTable.Source})");
    }
}
