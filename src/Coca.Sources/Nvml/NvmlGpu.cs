using Coca.Core.Gpu;
using Coca.Core.Metering;

namespace Coca.Sources.Nvml;

/// <summary>One physical GPU's handle and running totals inside <see cref="NvmlGpuSource"/>.</summary>
internal sealed class NvmlGpu(nint handle, GpuIdentity identity, bool counterSupported, double powerLimitW)
{
    public nint Handle { get; } = handle;
    public GpuIdentity Identity { get; } = identity;
    public double PowerLimitW { get; } = powerLimitW;

    /// <summary>Minor number of /dev/nvidiaN: what Slurm's gres.conf indices point at; -1 when unknown.</summary>
    public int Minor { get; init; } = -1;
    public EnergyCounter Counter { get; } = new(); // mJ since driver load: no wrap range, a decrease is a reload
    public PowerIntegrator Integrator { get; } = new();
    public bool CounterSupported { get; set; } = counterSupported;
    public bool Lost { get; set; }

    /// <summary>Microjoules since the source opened: the counter's part and, when it is unsupported, integrated power.</summary>
    public long CumulativeUj => (long)Counter.Total * 1000 + Integrator.TotalMicrojoules;
}
