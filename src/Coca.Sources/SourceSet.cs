using Coca.Core.Gpu;
using Coca.Core.Readings;
using Coca.Sources.Gpu;
using Coca.Sources.Estimate;
using Coca.Sources.NodeMeter;
using Coca.Sources.Powercap;

namespace Coca.Sources;

/// <summary>
/// Every source of one machine, opened once, with their devices in one flat list so that a tick
/// fills one array. Decides, and says, where an estimate replaces a measurement.
/// </summary>
public sealed class SourceSet : IDisposable
{
    private readonly IEnergySource[] _sources;
    private readonly int[] _offsets;

    private SourceSet(IEnergySource[] sources, IReadOnlyList<SourceIssue> notes, GpuSelection? gpuSelection)
    {
        GpuSelection = gpuSelection;
        _sources = sources;
        _offsets = new int[sources.Length];
        var devices = new List<DeviceInfo>();
        for (var i = 0; i < sources.Length; i++)
        {
            _offsets[i] = devices.Count;
            devices.AddRange(sources[i].Devices);
        }
        Devices = devices;
        Issues = sources.SelectMany(s => s.Issues).Concat(notes).ToArray();
    }

    public IReadOnlyList<IEnergySource> Sources => _sources;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues { get; }

    /// <summary>Which GPUs count, and why; null when no GPU source is open.</summary>
    public GpuSelection? GpuSelection { get; }

    public static SourceSet Open(SourceSetOptions options)
    {
        var sources = new List<IEnergySource>();
        var notes = new List<SourceIssue>();
        var rapl = new PowercapSource(options.SysfsRoot, options.FileOpener);
        sources.Add(rapl);
        var gpus = GpuSources.Open(options.Gpu);
        if (gpus.Source is not null) sources.Add(gpus.Source);
        notes.AddRange(gpus.Notes);

        var estimateCpu = options.EstimateWhenUnmeasured && !rapl.MeasuresCpu;
        var estimateRam = options.EstimateWhenUnmeasured && !rapl.MeasuresDram;
        if (estimateCpu || estimateRam)
        {
            var estimate = new EstimateSource(options.ProcfsRoot, estimateCpu, estimateRam);
            sources.Add(estimate);
            if (estimateCpu)
            {
                notes.Add(new SourceIssue(EstimateSource.SourceName,
                    $"CPU energy is ESTIMATED, not measured (no readable RAPL package zone): {estimate.CpuModel!.Basis}"));
            }
            if (estimateRam)
            {
                notes.Add(new SourceIssue(EstimateSource.SourceName,
                    $"memory energy is ESTIMATED, not measured (no readable RAPL dram zone{(rapl.MeasuresCpu ? "; AMD and client CPUs expose none" : "")}): {Core.Estimation.MemoryPowerModel.Basis(estimate.RamGb)}"));
            }
        }
        if (options.NodeMeter is { } meter) sources.Add(NodeMeterSource.Open(meter));
        return new SourceSet(sources.ToArray(), notes, gpus.Selection);
    }

    public DeviceSample[] NewSampleBuffer()
    {
        var buffer = new DeviceSample[Devices.Count];
        Array.Fill(buffer, DeviceSample.Empty);
        return buffer;
    }

    /// <summary>Reads every device of every source into <paramref name="into"/> (length <see cref="Devices"/>.Count).</summary>
    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        for (var i = 0; i < _sources.Length; i++)
        {
            var count = _sources[i].Devices.Count;
            if (count > 0)
            {
                _sources[i].Sample(monotonicSeconds, into.Slice(_offsets[i], count));
            }
        }
    }

    public void Dispose()
    {
        foreach (var s in _sources) s.Dispose();
    }
}
