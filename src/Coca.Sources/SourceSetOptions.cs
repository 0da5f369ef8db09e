using Coca.Sources.Gpu;
using Coca.Sources.Io;

namespace Coca.Sources;

/// <summary>Where a node's sources are read from. The roots point at the host (or a fixture tree in tests).</summary>
public sealed class SourceSetOptions
{
    public string SysfsRoot { get; set; } = "/sys";
    public string ProcfsRoot { get; set; } = "/proc";

    /// <summary>Estimate CPU and memory energy where RAPL cannot measure them (labelled <c>estimated</c>).</summary>
    public bool EstimateWhenUnmeasured { get; set; } = true;

    /// <summary>NVIDIA GPUs: library paths and which GPUs the measured work holds.</summary>
    public GpuSourceOptions Gpu { get; set; } = new();

    /// <summary>The node's meter (a BMC, a wattmeter): the whole node's power, read off the tick thread; null: none.</summary>
    public NodeMeter.NodeMeterOptions? NodeMeter { get; set; }

    /// <summary>The file seam for sysfs counters; tests wrap it to deny a file.</summary>
    public IFileOpener FileOpener { get; set; } = RealFileOpener.Instance;
}
