using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Sources;

namespace Coca.Commands.Node;

/// <summary>Where the NVIDIA GPUs are read from.</summary>
internal sealed class GpuOptions
{
    public Option<string?> NvmlLib { get; } = new("--nvml-lib")
    {
        Description = "Path of libnvidia-ml.so (default: the driver's libnvidia-ml.so.1; env COCA_NVML_LIB)",
        HelpName = "PATH",
    };

    public Option<string?> NvidiaSmi { get; } = new("--nvidia-smi")
    {
        Description = "nvidia-smi binary for the fallback when NVML cannot be loaded (default: on PATH; env COCA_NVIDIA_SMI)",
        HelpName = "PATH",
    };

    public Option<bool> NoGpu { get; } = new("--no-gpu") { Description = "Do not look for NVIDIA GPUs" };

    public void AddTo(Command command)
    {
        command.Options.Add(NvmlLib);
        command.Options.Add(NvidiaSmi);
        command.Options.Add(NoGpu);
    }

    /// <param name="cudaVisibleDevices">The GPUs the measured work may use; null: all of them.</param>
    public void Configure(ParseResult parse, CocaSettings settings, SourceSetOptions sources, string? cudaVisibleDevices)
    {
        sources.Gpu = new Sources.Gpu.GpuSourceOptions
        {
            NvmlLibrary = settings.String("gpu", "nvml_lib", parse.GetValue(NvmlLib)),
            NvidiaSmi = settings.String("gpu", "nvidia_smi", parse.GetValue(NvidiaSmi)),
            CudaVisibleDevices = cudaVisibleDevices,
            Enabled = !parse.GetValue(NoGpu),
        };
    }
}
