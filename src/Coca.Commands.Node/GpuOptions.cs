using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Sources;

namespace Coca.Commands.Node;

/// <summary>Where the NVIDIA GPUs are read from.</summary>
internal sealed class GpuOptions
{
    public Option<string?> NvmlLib { get; } = new("--nvml-lib")
    {
        Description = GpuSettings.NvmlLib.Help("Path of libnvidia-ml.so"),
        HelpName = "PATH",
    };

    public Option<string?> NvidiaSmi { get; } = new("--nvidia-smi")
    {
        Description = GpuSettings.NvidiaSmi.Help("nvidia-smi binary for the fallback when NVML cannot be loaded"),
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
            NvmlLibrary = settings.String(GpuSettings.NvmlLib, parse.GetValue(NvmlLib)),
            NvidiaSmi = settings.String(GpuSettings.NvidiaSmi, parse.GetValue(NvidiaSmi)),
            CudaVisibleDevices = cudaVisibleDevices,
            Enabled = !parse.GetValue(NoGpu),
        };
    }
}
