namespace Coca.Commands.Node.Config;

/// <summary><c>[gpu]</c>: where the NVIDIA GPUs are read from.</summary>
public static class GpuSettings
{
    public const string Section = "gpu";

    public static readonly TextSetting NvmlLib = new(Section, "nvml_lib", DefaultDescription: "the driver's libnvidia-ml.so.1");
    public static readonly TextSetting NvidiaSmi = new(Section, "nvidia_smi", DefaultDescription: "nvidia-smi on PATH");

    public static IReadOnlyList<Setting> All { get; } = [NvmlLib, NvidiaSmi];
}
