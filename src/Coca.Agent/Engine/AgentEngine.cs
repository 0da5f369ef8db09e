using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Agent.Engine;

/// <summary>
/// One tick of the agent, without I/O and without allocating: the interval's energy per device, split
/// between the jobs that held each device, idle and unattributed (exactly), added to the books in
/// <see cref="State"/>, with each job's GPU use and coverage.
/// </summary>
internal sealed class AgentEngine
{
    /// <summary>Below this GPU utilisation a held GPU counts as idle.</summary>
    public const double GpuBusyThreshold = 0.05;

    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly DeviceBook[] _deviceBooks;
    private readonly DeviceMeter _meter;
    private readonly long[] _delta;
    private readonly double[] _from;
    private double[] _weights = new double[64];
    private int[] _holders = new int[64];
    private long[] _parts = new long[66];
    // Per device, the jobs (indices into this tick's list) holding it: a GPU is charged to its holders without
    // looking at every job on the node.
    private readonly int[][] _gpuHolders;
    private readonly int[] _gpuHolderCount;
    private double _lastTick = double.NaN;

    public AgentEngine(IReadOnlyList<DeviceInfo> devices, AgentState state)
    {
        _devices = devices;
        State = state;
        _meter = new DeviceMeter(devices);
        _delta = new long[devices.Count];
        _from = new double[devices.Count];
        _deviceBooks = new DeviceBook[devices.Count];
        _gpuHolders = new int[devices.Count][];
        for (var i = 0; i < devices.Count; i++) _gpuHolders[i] = new int[8];
        _gpuHolderCount = new int[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            if (!state.Devices.TryGetValue(devices[i].Id, out var book)) state.Devices[devices[i].Id] = book = new DeviceBook { Kind = devices[i].Component.ToWire() };
            _deviceBooks[i] = book;
        }
    }

    public AgentState State { get; }

    public void Tick(double now, ReadOnlySpan<DeviceSample> samples, IReadOnlyList<ActiveJob> jobs)
    {
        _meter.Advance(now, samples, State, _delta, _from);
        var tickStart = double.IsNaN(_lastTick) ? (State.TakenAt > 0 ? State.TakenAt : now) : _lastTick;
        _lastTick = now;
        if (jobs.Count > _weights.Length)
        {
            _weights = new double[jobs.Count * 2];
            _holders = new int[jobs.Count * 2];
            _parts = new long[jobs.Count * 2 + 2];
        }

        Array.Clear(_gpuHolderCount);
        for (var j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            var book = job.Book ??= BookOf(job);
            book.CpuShareBasis = job.CpuShareBasis;
            book.End = job.To < double.PositiveInfinity ? job.To : null;
            foreach (var device in job.GpuDevices) AddHolder(device, j);
        }

        var anyReading = false;
        for (var i = 0; i < _devices.Count; i++)
        {
            var device = _devices[i];
            var deviceBook = _deviceBooks[i];
            if (samples[i].State == DeviceState.Ok)
            {
                deviceBook.Raw = device.CounterUnitUj > 0 ? samples[i].RawCounter : null;
                deviceBook.PowerW = samples[i].PowerW;
                anyReading |= device.Counted;
            }
            deviceBook.TotalUj += _delta[i];
            if (device.Counted && _delta[i] != 0) Charge(i, now, samples[i].Provenance, jobs);
            if (device.Counted && device.Component == ComponentKind.Gpu && _from[i] < now) AddGpuUse(i, _from[i], now, samples[i].Utilisation, jobs);
        }

        if (anyReading)
        {
            for (var j = 0; j < jobs.Count; j++) jobs[j].Book!.CoveredSeconds += jobs[j].Overlap(tickStart, now);
        }
        State.TakenAt = now;
    }

    private void Charge(int device, double now, Provenance provenance, IReadOnlyList<ActiveJob> jobs)
    {
        var info = _devices[device];
        var energy = _delta[device];
        var c = (int)info.Component;
        var from = _from[device];
        // Other (node residual) has no rule yet; energy without a time span cannot be spread: both are unattributed.
        if (info.Component == ComponentKind.Other || from >= now)
        {
            State.UnattributedUj[c] += energy;
            return;
        }
        var length = now - from;
        var gpu = info.Component == ComponentKind.Gpu;
        var n = 0;
        var unknown = 0.0;
        var candidates = gpu ? _gpuHolderCount[device] : jobs.Count;
        for (var k = 0; k < candidates; k++)
        {
            var j = gpu ? _gpuHolders[device][k] : k;
            var job = jobs[j];
            var fraction = job.Overlap(from, now) / length;
            if (fraction <= 0) continue;
            var share = gpu ? 1.0 : job.CpuShare; // a GPU is held whole
            if (double.IsNaN(share))
            {
                unknown += fraction;
                continue;
            }
            if (share <= 0) continue;
            _weights[n] = fraction * Math.Min(1, share);
            _holders[n] = j;
            n++;
        }
        var parts = _parts.AsSpan(0, n + 2);
        EnergySplitter.SplitWeights(energy, _weights.AsSpan(0, n), unknown, parts);
        for (var k = 0; k < n; k++)
        {
            var book = jobs[_holders[k]].Book!;
            book.EnergyUj[c] += parts[k];
            book.Provenance[c] = Math.Max(book.Provenance[c], (int)provenance);
            book.EnergyAfterLastGpuActivityUj += parts[k];
        }
        State.IdleUj[c] += parts[n];
        State.UnattributedUj[c] += parts[n + 1];
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

    private void AddGpuUse(int device, double from, double now, double utilisation, IReadOnlyList<ActiveJob> jobs)
    {
        if (double.IsNaN(utilisation)) return;
        for (var k = 0; k < _gpuHolderCount[device]; k++)
        {
            var job = jobs[_gpuHolders[device][k]];
            var overlap = job.Overlap(from, now);
            if (overlap <= 0) continue;
            var book = job.Book!;
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

    private void AddHolder(int device, int job)
    {
        if ((uint)device >= (uint)_gpuHolders.Length) return;
        var count = _gpuHolderCount[device];
        if (count > 0 && _gpuHolders[device][count - 1] == job) return; // a device listed twice by one job is held once
        if (count == _gpuHolders[device].Length) Array.Resize(ref _gpuHolders[device], count * 2); // only when more jobs share a device than ever before
        _gpuHolders[device][count] = job;
        _gpuHolderCount[device] = count + 1;
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
