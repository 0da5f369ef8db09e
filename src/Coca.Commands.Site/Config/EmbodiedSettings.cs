using Coca.Commands.Node.Config;
using Coca.Core.Carbon;

namespace Coca.Commands.Site.Config;

/// <summary>
/// <c>[embodied]</c>: what making the hardware emitted, written off over its life. Defaults are the BLOOM study's
/// (Luccioni, Viguier, Ligozat 2022): 150 kgCO2e a GPU, 2,500 kgCO2e a server without its GPUs, 6 years.
/// Boavizta's 575 kg per large GPU over 3 years is the documented alternative (README).
/// </summary>
public static class EmbodiedSettings
{
    public const string Section = "embodied";

    public static readonly NumberSetting GpuKg = new(Section, "gpu_kg", 150) { Range = new NumberRange(0, 100_000, "kgCO2e") };
    public static readonly NumberSetting ServerKg = new(Section, "server_kg", 2500) { Range = new NumberRange(0, 1_000_000, "kgCO2e") };
    public static readonly NumberSetting LifetimeYears = new(Section, "lifetime_years", 6) { Range = new NumberRange(0.1, 50, "years") };

    /// <summary>A GPU job's share of its server is its GPUs over the node's: 8 is an HGX/DGX node (BLOOM's Jean Zay A100 nodes).</summary>
    public static readonly NumberSetting NodeGpus = new(Section, "node_gpus", 8) { Range = new NumberRange(1, 1024, "GPUs", Whole: true) };

    /// <summary>A CPU-only job's share is its cores over the node's: assumed 64 (two 32-core sockets) unless set.</summary>
    public static readonly NumberSetting NodeCores = new(Section, "node_cores", 64) { Range = new NumberRange(1, 100_000, "cores", Whole: true) };

    public static IReadOnlyList<Setting> All { get; } = [GpuKg, ServerKg, LifetimeYears, NodeGpus, NodeCores];

    public static EmbodiedFactors Factors(CocaSettings settings) => new(
        settings.Double(GpuKg, null)!.Value, settings.Double(ServerKg, null)!.Value, settings.Double(LifetimeYears, null)!.Value,
        settings.Double(NodeGpus, null), settings.Double(NodeCores, null));
}
