namespace Coca.Core.Gpu;

/// <summary>
/// How a GPU device is found from the outside: its UUID, NVML's index (a label only: CUDA and Slurm may number the
/// same GPUs differently), the minor number of <c>/dev/nvidiaN</c> (what Slurm's GPU indices are), and for a MIG
/// instance the UUID of its parent. Typed, so that nothing matches GPUs through attribute strings.
/// </summary>
public sealed record GpuAddress(string Uuid, int? NvmlIndex = null, int? Minor = null, string? ParentUuid = null)
{
    public bool IsMigInstance => ParentUuid is not null;
}
