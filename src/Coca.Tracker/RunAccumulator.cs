using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Tracker;

/// <summary>
/// A run through the <see cref="AttributionEngine"/> every other part of Coca4ai runs: the run is one holder that
/// holds every GPU the run was given, whole, and a share of the CPU packages and DRAM that is known only at the end
/// (its process tree's share of the machine's busy CPU time over the whole run). CPU and DRAM energy is held in one
/// window for the whole run and split by that share at <see cref="Finish"/>; the books balance to the microjoule.
/// </summary>
internal sealed class RunAccumulator
{
    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly AttributionEngine _engine;
    private readonly Holder[] _run;
    private readonly Provenance[] _provenance;
    private readonly bool[] _lost;

    public RunAccumulator(IReadOnlyList<DeviceInfo> devices)
    {
        _devices = devices;
        _engine = new AttributionEngine(devices, new Books { Node = Environment.MachineName });
        var gpus = Enumerable.Range(0, devices.Count).Where(i => devices[i].Component == ComponentKind.Gpu).ToArray();
        _run = [new Holder("run", Environment.UserName, 0, double.PositiveInfinity, [.. gpus.Select(i => devices[i].Id)], gpus,
            double.NaN, "the process tree's share of busy CPU time")];
        _provenance = new Provenance[devices.Count];
        _lost = new bool[devices.Count];
    }

    public int Samples { get; private set; }

    /// <param name="elapsedSeconds">Seconds since the run started (monotonic).</param>
    public void Add(double elapsedSeconds, ReadOnlySpan<DeviceSample> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (samples[i].State == DeviceState.Lost) _lost[i] = true;
            if (samples[i].State == DeviceState.Ok && Samples > 0) _provenance[i] = _provenance[i].Combine(samples[i].Provenance);
        }
        _engine.Tick(elapsedSeconds, samples, _run, settle: false);
        Samples++;
    }

    /// <summary>Splits the CPU and DRAM energy held over the run by the run's share of them, at the end.</summary>
    public void Finish(double elapsedSeconds, double cpuShare)
    {
        _run[0].CpuShare = cpuShare;
        _engine.Settle(elapsedSeconds, _run);
    }

    public bool WasLost(int device) => _lost[device];

    public Energy EnergyOf(int device) => _engine.DeviceBookOf(device).Total;

    public Provenance ProvenanceOf(int device) => _provenance[device];

    /// <summary>What the machine's counted devices drew, per component, with provenance.</summary>
    public ComponentEnergy Machine()
    {
        var machine = new ComponentEnergy();
        for (var i = 0; i < _devices.Count; i++)
        {
            if (_devices[i].Counted) machine.Add(_devices[i].Component, EnergyOf(i), _provenance[i]);
        }
        return machine;
    }

    /// <summary>The run's own share (after <see cref="Finish"/>).</summary>
    public ComponentEnergy Attributed() => _run[0].Book?.Energy ?? default;

    /// <summary>0 when the books balance: what the devices measured, all of it placed.</summary>
    public long Residual() => _engine.Residual();
}
