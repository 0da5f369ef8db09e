namespace Coca.Sources.Gpu;

/// <summary>How to reach the NVIDIA GPUs, and which of them the measured work holds.</summary>
public sealed class GpuSourceOptions
{
    /// <summary>Path of libnvidia-ml; null: the system's <c>libnvidia-ml.so.1</c>.</summary>
    public string? NvmlLibrary { get; set; }

    /// <summary>The <c>nvidia-smi</c> binary for the fallback; null: <c>nvidia-smi</c> on PATH.</summary>
    public string? NvidiaSmi { get; set; }

    /// <summary>The value of <c>CUDA_VISIBLE_DEVICES</c>; null: not set, every GPU counts.</summary>
    public string? CudaVisibleDevices { get; set; }

    /// <summary>
    /// Read every gauge NVML has at every sample — its own power reading and the used memory (<c>coca sensors</c>).
    /// Off for the agent and <c>coca run</c>: power then comes from the energy counter over the interval and memory is
    /// not read, since on a real GPU each NVML call is an ioctl into the driver, paid per GPU per tick.
    /// </summary>
    public bool ReadEveryGauge { get; set; }

    /// <summary>False to leave GPUs out entirely.</summary>
    public bool Enabled { get; set; } = true;
}
