using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Agent.Engine;

/// <summary>
/// One tick of the agent, without I/O: the interval's energy per device, split between the jobs that
/// held each device, idle and unattributed (exactly), added to the books in <see cref="State"/>, with
/// each job's GPU use and coverage.
/// </summary>
internal sealed class AgentEngine
{
    /// <summary>Below this GPU utilisation a held GPU counts as idle.</summary>
    public const double GpuBusyThreshold = 0.05;

    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly DeviceMeter _meter;
    private readonly long[] _delta;
    private readonly double[] _from;
    private readonly List<Holding> _holdings = [];
    private double _lastTick = double.NaN;

    public AgentEngine(IReadOnlyList<DeviceInfo> devices, AgentState state)
    {
        _devices = devices;
        State = state;
        _meter = new DeviceMeter(devices);
        _delta = new long[devices.Count];
        _from = new double[devices.Count];
        foreach (var d in devices)
        {
            if (!state.Devices.ContainsKey(d.Id)) state.Devices[d.Id] = new DeviceBook { Kind = d.Component.ToWire() };
        }
    }

    public AgentState State { get; }

    public void Tick(double now, ReadOnlySpan<DeviceSample> samples, IReadOnlyList<ActiveJob> jobs)
    {
        _meter.Advance(now, samples, State, _delta, _from);
        var tickStart = double.IsNaN(_lastTick) ? (State.TakenAt > 0 ? State.TakenAt : now) : _lastTick;
        _lastTick = now;

        _holdings.Clear();
        foreach (var job in jobs)
        {
            var book = BookOf(job);
            foreach (var gpu in job.GpuDeviceIds) _holdings.Add(new Holding(job.Id, gpu, job.From, job.To, 1.0));
            for (var i = 0; i < _devices.Count; i++)
            {
                if (_devices[i].Counted && _devices[i].Component is ComponentKind.Cpu or ComponentKind.Dram)
                {
                    _holdings.Add(new Holding(job.Id, _devices[i].Id, job.From, job.To, job.CpuShare));
                }
            }
            book.CpuShareBasis = job.CpuShareBasis;
            book.End = job.To < double.PositiveInfinity ? job.To : null;
        }

        var anyReading = false;
        for (var i = 0; i < _devices.Count; i++)
        {
            var device = _devices[i];
            var deviceBook = State.Devices[device.Id];
            if (samples[i].State == DeviceState.Ok)
            {
                deviceBook.Raw = device.CounterUnitUj > 0 ? samples[i].RawCounter : null;
                deviceBook.PowerW = samples[i].PowerW;
                anyReading |= device.Counted;
            }
            deviceBook.TotalUj += _delta[i];
            if (device.Counted && _delta[i] != 0) Charge(i, now, samples[i].Provenance);
            if (device.Counted && device.Component == ComponentKind.Gpu && _from[i] < now) AddGpuUse(device.Id, _from[i], now, samples[i].Utilisation, jobs);
        }

        foreach (var job in jobs)
        {
            var overlap = Math.Max(0, Math.Min(now, job.To) - Math.Max(tickStart, job.From));
            if (anyReading) State.Jobs[job.Id].CoveredSeconds += overlap;
        }
        State.TakenAt = now;
    }

    private void Charge(int i, double now, Provenance provenance)
    {
        var device = _devices[i];
        // Other (node residual) has no rule yet; energy without a time span cannot be spread: both are unattributed.
        var split = device.Component == ComponentKind.Other || _from[i] >= now
            ? EnergySplitter.Unplaceable(device.Id, _delta[i])
            : EnergySplitter.Split(device.Id, _delta[i], _from[i], now, _holdings);
        var c = (int)device.Component;
        State.IdleUj[c] += split.IdleUj;
        State.UnattributedUj[c] += split.UnattributedUj;
        foreach (var (consumer, uj) in split.Consumers)
        {
            var book = State.Jobs[consumer];
            book.EnergyUj[c] += uj;
            book.Provenance[c] = Math.Max(book.Provenance[c], (int)provenance);
            book.EnergyAfterLastGpuActivityUj += uj;
        }
    }

    /// <summary>Counted devices' energy minus everything placed (jobs, retired jobs, idle, unattributed): 0 when the books balance.</summary>
    public long Residual()
    {
        long devices = 0;
        foreach (var d in _devices)
        {
            if (d.Counted) devices += State.Devices[d.Id].TotalUj;
        }
        var placed = State.Jobs.Values.Sum(j => j.EnergyUj.Sum()) + State.RetiredUj.Sum() + State.IdleUj.Sum() + State.UnattributedUj.Sum();
        return devices - placed;
    }

    /// <summary>Forgets a finished job's books, keeping its energy in the retired total so the books still balance.</summary>
    public void Retire(string jobId)
    {
        if (!State.Jobs.Remove(jobId, out var book)) return;
        for (var c = 0; c < 4; c++) State.RetiredUj[c] += book.EnergyUj[c];
    }

    private void AddGpuUse(string deviceId, double from, double now, double utilisation, IReadOnlyList<ActiveJob> jobs)
    {
        if (double.IsNaN(utilisation)) return;
        foreach (var job in jobs)
        {
            if (!job.GpuDeviceIds.Contains(deviceId)) continue;
            var overlap = Math.Max(0, Math.Min(now, job.To) - Math.Max(from, job.From));
            if (overlap <= 0) continue;
            var book = State.Jobs[job.Id];
            book.GpuSeconds += overlap;
            book.GpuBusySeconds += overlap * utilisation;
            if (utilisation < GpuBusyThreshold)
            {
                book.IdleGpuSeconds += overlap;
            }
            else
            {
                book.LastGpuActivity = Math.Min(now, job.To);
                book.EnergyAfterLastGpuActivityUj = 0;
            }
        }
    }

    private JobBook BookOf(ActiveJob job)
    {
        if (!State.Jobs.TryGetValue(job.Id, out var book))
        {
            State.Jobs[job.Id] = book = new JobBook
            {
                JobId = job.Id,
                User = job.Record.User,
                Start = job.From,
                Gpus = job.GpuDeviceIds.ToList(),
            };
        }
        return book;
    }
}
