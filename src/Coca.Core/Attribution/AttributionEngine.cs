using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Core.Attribution;

/// <summary>
/// The one attribution engine, run by the agent, <c>coca attribute</c>, <c>coca run</c> and the accuracy benchmark.
/// One tick, without I/O and without allocating: the interval's energy per device, split between the holders of each
/// device, idle and unattributed (exactly, to the microjoule), added to <see cref="Books"/>, with each holder's GPU use,
/// coverage and each device's counter health.
/// </summary>
/// <remarks>
/// GPUs are charged every tick to the jobs holding them. CPU packages and DRAM are split by each job's share of
/// the node's CPU time, which is measured once per window (the housekeeping interval, or sooner when a job starts or
/// ends): their energy is held until the window closes (a "settling" tick) and then split by the shares of that same
/// window, as DESIGN.md's allocation reads ("the job's cgroup CPU-time share of the interval"). Splitting it every
/// tick instead charged each window by the shares of the window before, and cost a pass over every job on the node
/// every second. Between settling ticks the job list must not change; the books balance at settling ticks, and
/// <see cref="Residual"/> counts the held energy meanwhile.
/// </remarks>
public sealed class AttributionEngine
{
    /// <summary>Below this GPU utilisation a held GPU counts as idle.</summary>
    public const double GpuBusyThreshold = 0.05;

    private readonly DeviceInfo[] _devices; // arrays and spans on the tick path: no interface dispatch per element
    private readonly DeviceBook[] _deviceBooks;
    private readonly DeviceMeter _meter;
    private readonly long[] _delta;
    private readonly double[] _from;
    private readonly CounterEvent[] _events;
    // CPU and DRAM energy waiting for the window's shares, per device.
    private readonly HeldEnergy[] _held;
    private double[] _weights = new double[64];
    private int[] _holders = new int[64];
    private int[] _slots = new int[64]; // per holder of a GPU's split, that GPU's place in the job's book (-1: not listed)
    private long[] _parts = new long[66];
    // Per device, the jobs (indices into the settled list) holding it: a GPU is charged to its holders without
    // looking at every job on the node.
    private readonly int[][] _gpuHolders;
    private readonly int[][] _gpuHolderSlots; // the device's place in each holder's book (JobBook.Gpus), for per-GPU figures
    private readonly int[] _gpuHolderCount;
    private int _settledJobs = -1;
    private double _lastTick = double.NaN;
    // The span of ticks with readings whose coverage is not yet added to the jobs' books.
    private double _coveredFrom = double.NaN;
    private double _coveredTo = double.NaN;
    // The node meter (a BMC, a wattmeter) and its residual, other; -1 and null on a node without one.
    private readonly int _nodeMeter = -1;
    private readonly NodeResidual? _node;
    // A calibrated model standing in for the meter on a node without one; null with a meter or without a model.
    private readonly Calibration.NodeModel? _model;

    /// <param name="otherRule">How what only the node meter sees is charged (<c>[attribution] other</c>); used only with a node meter or a model.</param>
    /// <param name="model">A calibration carried from a metered node of the same type; ignored when the node has a meter of its own.</param>
    public AttributionEngine(IReadOnlyList<DeviceInfo> devices, Books books, OtherRule otherRule = OtherRule.Proportional, Calibration.NodeModel? model = null)
    {
        _devices = [.. devices];
        Books = books;
        _meter = new DeviceMeter(_devices);
        _delta = new long[devices.Count];
        _from = new double[devices.Count];
        _events = new CounterEvent[devices.Count];
        _held = new HeldEnergy[devices.Count];
        for (var i = 0; i < devices.Count; i++) _held[i] = new HeldEnergy();
        _deviceBooks = new DeviceBook[devices.Count];
        _gpuHolders = new int[devices.Count][];
        _gpuHolderSlots = new int[devices.Count][];
        for (var i = 0; i < devices.Count; i++)
        {
            _gpuHolders[i] = new int[8];
            _gpuHolderSlots[i] = new int[8];
        }
        _gpuHolderCount = new int[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            // One book per device: a zone seen twice under one name (RAPL through MSR and MMIO) keeps its own, apart.
            var key = devices[i].Id;
            for (var k = 2; books.Devices.TryGetValue(key, out var taken) && Array.IndexOf(_deviceBooks, taken, 0, i) >= 0; k++) key = $"{devices[i].Id}#{k}";
            if (!books.Devices.TryGetValue(key, out var book)) books.Devices[key] = book = new DeviceBook { Kind = devices[i].Component.ToWire() };
            _deviceBooks[i] = book;
            if (devices[i].NodeTotal && _nodeMeter < 0) _nodeMeter = i;
        }
        if (_nodeMeter >= 0)
        {
            _node = new NodeResidual(books, devices[_nodeMeter].Id, otherRule);
        }
        else if (model is not null)
        {
            _model = model;
            _node = new NodeResidual(books, OtherCharge.ModelPrefix + model.Label, otherRule, model.MapePct);
        }
    }

    /// <summary>Whether <c>other</c> comes from a calibrated model rather than a meter of the node's own.</summary>
    public bool UsesModel => _model is not null;

    /// <summary>The node meter's account; null without a node meter.</summary>
    public NodeMeterBook? NodeMeter => _node?.Book;

    public Books Books { get; }

    public IReadOnlyList<DeviceInfo> Devices => _devices;

    /// <summary>The books of the device at <paramref name="index"/> in the device list.</summary>
    public DeviceBook DeviceBookOf(int index) => _deviceBooks[index];

    /// <summary>CPU and DRAM energy measured but not yet split (µJ): 0 after a settling tick, when the books balance.</summary>
    public long HeldUj
    {
        get
        {
            long held = 0;
            foreach (var h in _held) held += h.Uj;
            return held;
        }
    }

    /// <param name="settle">
    /// The CPU shares were measured for the window that ends now, or the job list changed: split the held CPU and
    /// DRAM energy and take the list's jobs anew. Between two settling ticks the same list must be passed.
    /// </param>
    public void Tick(double now, ReadOnlySpan<DeviceSample> samples, ReadOnlySpan<Holder> jobs, bool settle = true)
    {
        _meter.Advance(now, samples, Books, _delta, _from, _events);
        var tickStart = double.IsNaN(_lastTick) ? (Books.TakenAt > 0 ? Books.TakenAt : now) : _lastTick;
        _lastTick = now;
        if (settle || jobs.Length != _settledJobs) TakeJobs(jobs);

        var anyReading = false;
        long componentsUj = 0, gpuUj = 0;
        var componentsProvenance = Provenance.None;
        for (var i = 0; i < _devices.Length; i++)
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
            CountHealth(deviceBook, _events[i]);
            if (!device.Counted) continue;
            if (device.Component != ComponentKind.Other)
            {
                componentsUj += _delta[i];
                if (device.Component == ComponentKind.Gpu) gpuUj += _delta[i];
                componentsProvenance = componentsProvenance.Combine(samples[i].Provenance);
            }
            if (device.Component == ComponentKind.Other || _from[i] >= now)
            {
                // Other (node residual) has no rule yet; energy without a time span cannot be spread: both are unattributed.
                Books.Unattributed.Add(device.Component, new Energy(_delta[i]), samples[i].Provenance);
            }
            else if (device.Component == ComponentKind.Gpu)
            {
                if (_delta[i] != 0) Charge(i, _from[i], now, _delta[i], samples[i].Provenance, jobs);
                AddGpuUse(i, _from[i], now, samples[i].Utilisation, jobs);
            }
            else if (_delta[i] != 0 || _held[i].Open)
            {
                _held[i].Add(_from[i], now, _delta[i], samples[i].Provenance);
            }
        }

        if (_model is not null)
        {
            // The model reads what the components read: a tick without readings is not compared, as with a meter.
            var modelUj = _model.NodeUj(now - tickStart, componentsUj - gpuUj, gpuUj);
            _node!.Tick(tickStart, now, anyReading, tickStart < now, counter: true, modelUj, componentsUj, Provenance.Derived.Combine(componentsProvenance));
        }
        else if (_node is not null)
        {
            ref readonly var meter = ref samples[_nodeMeter];
            _node.Tick(tickStart, now, meter.State == DeviceState.Ok, _from[_nodeMeter] < now, meter.Provenance == Provenance.Measured, _delta[_nodeMeter], componentsUj, meter.Provenance.Combine(componentsProvenance));
        }

        if (anyReading)
        {
            if (double.IsNaN(_coveredFrom)) _coveredFrom = tickStart;
            _coveredTo = now;
            UncoverUnreadGpus(samples, tickStart, now, jobs);
        }
        else
        {
            AddCoverage(jobs);
        }
        if (settle) Settle(now, jobs);
        Books.TakenAt = now;
    }

    // The node had readings, but a GPU did not (lost, unreadable): its holders' coverage drops by that GPU's part of
    // the tick (one of their GPUs' worth), so a job whose GPU fell off the bus no longer reads as fully measured.
    private void UncoverUnreadGpus(ReadOnlySpan<DeviceSample> samples, double from, double now, ReadOnlySpan<Holder> jobs)
    {
        for (var i = 0; i < _devices.Length; i++)
        {
            if (samples[i].State == DeviceState.Ok || _devices[i].Component != ComponentKind.Gpu || !_devices[i].Counted) continue;
            for (var k = 0; k < _gpuHolderCount[i]; k++)
            {
                var job = jobs[_gpuHolders[i][k]];
                job.Book!.CoveredSeconds -= job.Overlap(from, now) / Math.Max(1, job.GpuDevices.Length);
            }
        }
    }

    private static void CountHealth(DeviceBook book, CounterEvent e)
    {
        switch (e)
        {
            case CounterEvent.Wrapped: book.Wraps++; break;
            case CounterEvent.Reset: book.Resets++; break;
            case CounterEvent.Implausible: book.Rejected++; break;
        }
    }

    /// <summary>Splits the held CPU and DRAM energy over the jobs by their current shares (at the window's end; at a stop).</summary>
    public void Settle(double now, ReadOnlySpan<Holder> jobs)
    {
        for (var i = 0; i < _devices.Length; i++)
        {
            var held = _held[i];
            if (held.Uj != 0) Charge(i, held.From, held.To, held.Uj, held.Provenance, jobs);
            held.Clear();
        }
        _node?.Settle(jobs, Books); // after the packages: the proportional rule weighs the window's whole draw
        AddCoverage(jobs);
    }

    // The jobs of the window that starts: their books, and who holds each GPU.
    private void TakeJobs(ReadOnlySpan<Holder> jobs)
    {
        _settledJobs = jobs.Length;
        if (jobs.Length > _weights.Length)
        {
            _weights = new double[jobs.Length * 2];
            _holders = new int[jobs.Length * 2];
            _slots = new int[jobs.Length * 2];
            _parts = new long[jobs.Length * 2 + 2];
        }
        Array.Clear(_gpuHolderCount);
        for (var j = 0; j < jobs.Length; j++)
        {
            var job = jobs[j];
            var book = job.Book ??= BookOf(job);
            book.CpuShareBasis = job.CpuShareBasis;
            book.End = job.To < double.PositiveInfinity ? job.To : null;
            book.EnsureGpuSlots();
            foreach (var device in job.GpuDevices) AddHolder(device, j, book);
        }
        _node?.Begin(jobs, Books);
    }

    private void AddCoverage(ReadOnlySpan<Holder> jobs)
    {
        if (double.IsNaN(_coveredFrom)) return;
        for (var j = 0; j < jobs.Length; j++) jobs[j].Book!.CoveredSeconds += jobs[j].Overlap(_coveredFrom, _coveredTo);
        _coveredFrom = _coveredTo = double.NaN;
    }

    private void Charge(int device, double from, double now, long energy, Provenance provenance, ReadOnlySpan<Holder> jobs)
    {
        var info = _devices[device];
        var component = info.Component;
        var length = now - from;
        var gpu = info.Component == ComponentKind.Gpu;
        var n = 0;
        var unknown = 0.0;
        var candidates = gpu ? _gpuHolderCount[device] : jobs.Length;
        for (var k = 0; k < candidates; k++)
        {
            var j = gpu ? _gpuHolders[device][k] : k;
            var job = jobs[j];
            var fraction = gpu || (job.From <= from && job.To >= now) || energy <= 0
                ? job.Overlap(from, now) / length
                : _held[device].Between(Math.Max(from, job.From), Math.Min(now, job.To)) / energy; // present for part of the window
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
            _slots[n] = gpu ? _gpuHolderSlots[device][k] : -1;
            n++;
        }
        var parts = _parts.AsSpan(0, n + 2);
        ExactSplit.ByWeights(energy, _weights.AsSpan(0, n), unknown, parts);
        for (var k = 0; k < n; k++)
        {
            var book = jobs[_holders[k]].Book!;
            book.Energy.Add(component, new Energy(parts[k]), provenance);
            book.EnergyAfterLastGpuActivityUj += AfterLastGpuActivity(parts[k], from, now, book.LastGpuActivity);
            if (_slots[k] >= 0) book.GpuEnergyUj![_slots[k]] += parts[k];
        }
        Books.Idle.Add(component, new Energy(parts[n]), provenance);
        Books.Unattributed.Add(component, new Energy(parts[n + 1]), provenance);
    }

    // The part of a window's energy drawn after the job's GPUs were last busy (a window split at settling spans many ticks).
    private static long AfterLastGpuActivity(long energy, double from, double now, double? lastActivity)
    {
        if (lastActivity is not { } last || last <= from) return energy;
        if (last >= now) return 0;
        return (long)Math.Round(energy * (now - last) / (now - from));
    }

    /// <summary>Counted devices' energy minus everything placed (jobs, retired jobs, idle, unattributed) and held: 0 when the books balance.</summary>
    public long Residual()
    {
        long devices = 0;
        for (var i = 0; i < _devices.Length; i++)
        {
            if (_devices[i].Counted) devices += _deviceBooks[i].TotalUj;
        }
        // A node meter adds what only it sees (other, charged or held); the rest of its figure is the components'.
        return devices + (_node?.Book.OtherUj ?? 0) - Books.Placed().Microjoules - HeldUj - (_node?.HeldUj ?? 0);
    }

    /// <summary>Forgets a finished job's books, keeping its energy in the retired total so the books still balance.</summary>
    public void Retire(string jobId) => Books.Retire(jobId);

    private void AddGpuUse(int device, double from, double now, double utilisation, ReadOnlySpan<Holder> jobs)
    {
        if (double.IsNaN(utilisation)) return;
        for (var k = 0; k < _gpuHolderCount[device]; k++)
        {
            var job = jobs[_gpuHolders[device][k]];
            var overlap = job.Overlap(from, now);
            if (overlap <= 0) continue;
            var book = job.Book!;
            var slot = _gpuHolderSlots[device][k];
            if (slot >= 0) book.GpuPeakUtilisation![slot] = Math.Max(book.GpuPeakUtilisation[slot] ?? 0, utilisation);
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

    private void AddHolder(int device, int job, JobBook book)
    {
        if ((uint)device >= (uint)_gpuHolders.Length) return;
        var count = _gpuHolderCount[device];
        if (count > 0 && _gpuHolders[device][count - 1] == job) return; // a device listed twice by one job is held once
        if (count == _gpuHolders[device].Length)
        {
            // Only when more jobs share a device than ever before.
            Array.Resize(ref _gpuHolders[device], count * 2);
            Array.Resize(ref _gpuHolderSlots[device], count * 2);
        }
        _gpuHolders[device][count] = job;
        _gpuHolderSlots[device][count] = book.Gpus.IndexOf(_devices[device].Id);
        _gpuHolderCount[device] = count + 1;
    }

    private JobBook BookOf(Holder job)
    {
        if (!Books.Jobs.TryGetValue(job.Id, out var book))
        {
            Books.Jobs[job.Id] = book = new JobBook
            {
                JobId = job.Id,
                User = job.User,
                Start = job.From,
                Gpus = job.GpuDeviceIds.ToList(),
            };
        }
        return book;
    }
}
