using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Tracker.Results;

namespace Coca.Tracker;

/// <summary>
/// Keeps the first and latest reading of every device over a run. Device energy is cumulative, so
/// a run's energy is their difference, whatever happened in between (wraps are handled by the sources).
/// </summary>
internal sealed class RunAccumulator
{
    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly DeviceSample[] _first;
    private readonly DeviceSample[] _last;
    private readonly Provenance[] _provenance;
    private readonly bool[] _lost;

    public RunAccumulator(IReadOnlyList<DeviceInfo> devices)
    {
        _devices = devices;
        _first = new DeviceSample[devices.Count];
        _last = new DeviceSample[devices.Count];
        _provenance = new Provenance[devices.Count];
        _lost = new bool[devices.Count];
    }

    public int Samples { get; private set; }

    public void Add(ReadOnlySpan<DeviceSample> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (Samples == 0) _first[i] = samples[i];
            if (samples[i].State == DeviceState.Lost) _lost[i] = true;
            if (samples[i].State != DeviceState.Ok) continue;
            if (Samples > 0) _provenance[i] = _provenance[i].Combine(samples[i].Provenance);
            _last[i] = samples[i];
        }
        Samples++;
    }

    public bool WasLost(int device) => _lost[device];

    public double EnergyJ(int device) => EnergyUnits.MicrojoulesToJoules(Math.Max(0, _last[device].EnergyUj - _first[device].EnergyUj));

    public Provenance ProvenanceOf(int device) => _provenance[device];

    public (ComponentJoules Energy, ComponentProvenance Provenance) Components()
    {
        Span<double> joules = stackalloc double[4];
        Span<Provenance> provenance = stackalloc Provenance[4];
        for (var i = 0; i < _devices.Count; i++)
        {
            if (!_devices[i].Counted) continue;
            var c = (int)_devices[i].Component;
            joules[c] += EnergyJ(i);
            provenance[c] = provenance[c].Combine(_provenance[i]);
        }
        return (new ComponentJoules(joules[0], joules[1], joules[2], joules[3]),
            new ComponentProvenance(provenance[0].ToWire(), provenance[1].ToWire(), provenance[2].ToWire(), provenance[3].ToWire()));
    }
}
