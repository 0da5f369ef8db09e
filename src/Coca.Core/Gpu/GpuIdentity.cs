namespace Coca.Core.Gpu;

/// <summary>A MIG instance of a GPU: its UUID (<c>MIG-…</c>) and its size in GPU slices.</summary>
public sealed record MigInstance(string Uuid, int Slices, int ParentSlices)
{
    /// <summary>Share of the parent's energy charged to this instance: its slices over the parent's (documented rule, until per-instance power exists).</summary>
    public double Share => ParentSlices > 0 ? Math.Clamp(Slices / (double)ParentSlices, 0, 1) : 0;
}

/// <summary>
/// A GPU's identity: its UUID and PCI bus id. The NVML index is a label only: CUDA and Slurm may
/// number the same GPUs differently.
/// </summary>
public sealed record GpuIdentity(string Uuid, string PciBusId, int NvmlIndex, string Name, IReadOnlyList<MigInstance> MigInstances)
{
    public string DeviceId => DeviceIdOf(Uuid);

    public static string DeviceIdOf(string uuid) => "gpu:" + uuid;
}
