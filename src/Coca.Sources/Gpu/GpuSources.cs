using Coca.Core.Gpu;
using Coca.Core.Readings;
using Coca.Sources.NvidiaSmi;
using Coca.Sources.Nvml;

namespace Coca.Sources.Gpu;

/// <summary>Opens the machine's NVIDIA GPUs: NVML first, <c>nvidia-smi</c> when NVML cannot be loaded, and says which and why.</summary>
public static class GpuSources
{
    public sealed record Opened(IEnergySource? Source, GpuSelection? Selection, IReadOnlyList<SourceIssue> Notes);

    public static Opened Open(GpuSourceOptions options)
    {
        if (!options.Enabled) return new Opened(null, null, []);
        var nvml = new NvmlGpuSource(options);
        if (nvml.IsAvailable) return new Opened(nvml, nvml.Selection, []);

        var smi = new NvidiaSmiSource(options);
        if (smi.IsAvailable)
        {
            nvml.Dispose();
            return new Opened(smi, smi.Selection,
            [
                new SourceIssue(NvmlGpuSource.SourceName,
                    $"NVML unavailable ({nvml.LoadProblem}): GPUs are read through nvidia-smi, their energy integrated from sampled power (derived)",
                    "give --nvml-lib PATH to the driver's libnvidia-ml.so.1"),
            ]);
        }
        nvml.Dispose();
        smi.Dispose();
        // Asked for explicitly, a failure is a warning; on a machine without NVIDIA GPUs it is only information.
        var level = options.NvmlLibrary is not null || options.NvidiaSmi is not null ? SourceIssueLevel.Warning : SourceIssueLevel.Info;
        return new Opened(null, null,
        [
            new SourceIssue(NvmlGpuSource.SourceName, $"no GPU measured: {nvml.LoadProblem}", "install the NVIDIA driver, or give --nvml-lib PATH", level),
            new SourceIssue(NvidiaSmiSource.SourceName, $"fallback unavailable: {smi.LoadProblem}", "give --nvidia-smi PATH", level),
        ]);
    }
}
