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

    /// <summary>False to leave GPUs out entirely.</summary>
    public bool Enabled { get; set; } = true;
}
