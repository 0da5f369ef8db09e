using System.Globalization;
using Coca.Core.Estimation;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Procfs;

namespace Coca.Sources.Estimate;

/// <summary>
/// Estimates where nothing can be measured: CPU as TDP × measured utilisation from
/// <c>/proc/stat</c>, memory as watts per GB installed. Every figure is labelled <c>estimated</c>.
/// </summary>
public sealed class EstimateSource : IEnergySource
{
    public const string SourceName = "estimate";
    public const string CpuDeviceId = "estimate:cpu";
    public const string RamDeviceId = "estimate:ram";

    private readonly ProcStatReader? _stat;
    private readonly double _cpuWatts;
    private readonly double _ramWatts;
    private readonly bool _cpu;
    private readonly bool _ram;
    private readonly List<SourceIssue> _issues = [];
    private CpuTimes _lastTimes;
    private bool _hasTimes;
    private double _lastSeconds = double.NaN;
    private double _cpuUj;
    private double _ramUj;

    public EstimateSource(string procfsRoot, bool cpu, bool ram)
    {
        var devices = new List<DeviceInfo>();
        if (cpu)
        {
            _stat = new ProcStatReader(procfsRoot);
            var info = CpuInfo.Read(procfsRoot);
            CpuModel = CpuPowerModel.For(info.ModelName, info.PhysicalCores, info.Sockets);
            _cpuWatts = CpuModel.MaxWatts;
            _cpu = true;
            if (!_stat.IsAvailable)
            {
                _issues.Add(new SourceIssue(SourceName, $"cannot read {_stat.Path}: CPU utilisation unknown, CPU estimate assumes full load"));
            }
            devices.Add(new DeviceInfo(CpuDeviceId, ComponentKind.Cpu, true, SourceName, "CPU estimate (TDP × utilisation)")
            {
                Note = CpuModel.Basis,
                Attributes = new Dictionary<string, string>
                {
                    ["max_watts"] = _cpuWatts.ToString("0.###", CultureInfo.InvariantCulture),
                    ["cpu_model"] = info.ModelName,
                },
            });
        }
        if (ram)
        {
            var gb = MemInfo.TotalGb(procfsRoot);
            if (gb is null)
            {
                _issues.Add(new SourceIssue(SourceName, $"cannot read {Path.Combine(procfsRoot, "meminfo")}: memory size unknown, memory energy not estimated"));
            }
            RamGb = gb ?? 0;
            _ramWatts = MemoryPowerModel.Watts(RamGb);
            _ram = true;
            devices.Add(new DeviceInfo(RamDeviceId, ComponentKind.Dram, true, SourceName, "memory estimate (W per GB installed)")
            {
                Note = MemoryPowerModel.Basis(RamGb),
                Attributes = new Dictionary<string, string>
                {
                    ["watts"] = _ramWatts.ToString("0.###", CultureInfo.InvariantCulture),
                    ["installed_gb"] = RamGb.ToString("0.##", CultureInfo.InvariantCulture),
                },
            });
        }
        Devices = devices;
    }

    public CpuPowerModel? CpuModel { get; }
    public double RamGb { get; }
    public string Name => SourceName;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues => _issues;

    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        var dt = double.IsNaN(_lastSeconds) ? 0 : Math.Max(0, monotonicSeconds - _lastSeconds);
        _lastSeconds = monotonicSeconds;
        var slot = 0;
        if (_cpu)
        {
            var utilisation = 1.0;
            if (_stat is not null && _stat.TryRead(out var times))
            {
                utilisation = _hasTimes ? CpuTimes.Utilisation(_lastTimes, times) : double.NaN;
                _lastTimes = times;
                _hasTimes = true;
            }
            var watts = double.IsNaN(utilisation) ? double.NaN : _cpuWatts * utilisation;
            if (!double.IsNaN(watts)) _cpuUj += watts * dt * 1e6;
            Fill(ref into[slot++], _cpuUj, watts, utilisation);
        }
        if (_ram)
        {
            _ramUj += _ramWatts * dt * 1e6;
            Fill(ref into[slot], _ramUj, _ramWatts, double.NaN);
        }
    }

    private static void Fill(ref DeviceSample s, double uj, double watts, double utilisation)
    {
        s.EnergyUj = (long)uj;
        s.PowerW = watts;
        s.Utilisation = utilisation;
        s.Provenance = Provenance.Estimated;
        s.State = DeviceState.Ok;
    }

    public void Dispose() => _stat?.Dispose();
}
