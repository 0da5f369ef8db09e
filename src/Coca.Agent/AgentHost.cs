using System.Diagnostics;
using System.Text.Json;
using Coca.Agent.Clock;
using Coca.Agent.Devices;
using Coca.Agent.JobMetrics;
using Coca.Agent.Jobs;
using Coca.Agent.Metrics;
using Coca.Agent.Push;
using Coca.Agent.Reports;
using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources;
using Coca.Sources.Nvml;
using Coca.Sources.Procfs;
using Coca.Slurm.Files;

namespace Coca.Agent;

/// <summary>
/// The node agent: builds the sources, the engine, the job tracker, the books' file, /metrics and the pusher, and runs
/// the tick — one sample charged to the node's jobs; at housekeeping ticks the CPU shares, finished jobs' reports,
/// and the books saved every minute and at each job edge.
/// </summary>
public sealed class AgentHost : IDisposable
{
    private const int AuditEveryTicks = 10;

    private readonly AgentOptions _options;
    private readonly Action<string> _log;
    private readonly SourceSet _sources;
    private readonly DeviceSample[] _buffer;
    private readonly AttributionEngine _engine;
    private readonly JobTracker _tracker;
    private readonly StateFile _stateFile;
    private readonly ProcStatReader _stat;
    private readonly MetricsServer _metrics;
    private readonly PrometheusText _text = new();
    private readonly GpuProcessAudit _audit;
    private readonly NvmlGpuSource? _nvml;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _kinds;
    private readonly long _monotonicStart;
    private readonly double _startedAt;
    private readonly AgentClock _clock;
    private readonly LostGpus _lostGpus;
    private readonly string? _bootId;
    private long _wallOffsetMs;
    // Jobs whose report could not be written (a full disk): tried again at housekeeping ticks, logged once.
    private readonly HashSet<string> _reportFailed = new(StringComparer.Ordinal);
    private CpuTimes _lastCpu;
    private bool _hasCpu;
    private double _lastTick = double.NaN;
    private long _ticks;
    private long _errors;
    private double _lastTickSeconds;
    private readonly Pusher? _pusher;
    private readonly JobMetricsDropBox? _jobMetrics;
    private readonly ReportWriter _reports;
    private readonly ReportToOutput? _toOutput;
    private double _lastHousekeeping = double.NaN;
    private double _lastCheckpoint = double.NaN;
    // The earliest end among the jobs not yet finished: a job is finished at a housekeeping tick, its CPU window settled.
    private double _nextEnd = double.PositiveInfinity;
    private bool _settleNow;

    public AgentHost(AgentOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
        _clock = new AgentClock(options.TimeProvider);
        // Root's only (0700): records, books, spool and reports carry every user's jobs. 0711 when users may open their
        // reports; the state directory also when jobs must reach the metrics drop box in it (an agent with a server).
        var directoryMode = options.ReportsReadableByOwner ? ReportOwnership.TraversableDirectory : OwnerOnly.DirectoryMode;
        OwnerOnly.CreateDirectory(options.StateDirectory, options.Server is not null ? ReportOwnership.TraversableDirectory : directoryMode);
        OwnerOnly.CreateDirectory(options.ReportsDirectory, directoryMode);
        options.Sources.Gpu.CudaVisibleDevices = null; // the agent watches every GPU of the node
        _sources = SourceSet.Open(options.Sources);
        foreach (var issue in _sources.Issues) log(issue.ToString());
        _buffer = _sources.NewSampleBuffer();
        _kinds = _sources.Devices.ToDictionary(d => d.Id, d => d.Component.ToWire(), StringComparer.Ordinal);

        _stateFile = new StateFile(options.StateDirectory);
        var state = _stateFile.Load(out var problem) ?? new Books();
        if (problem is not null) log(problem);
        state.Node = options.NodeName;
        _bootId = BootId.Read(options.Sources.ProcfsRoot);
        var stepped = _clock.Resume(state.TakenAt, state.TakenAtTimestamp, state.BootId, _bootId);
        if (Math.Abs(stepped) >= 1000) log($"the wall clock moved {stepped / 1000.0:+0.###;-0.###} s against the monotonic clock while the agent was down; the books' timeline goes on from their last tick");
        _wallOffsetMs = _clock.WallOffsetMs();
        // A stamp from another boot means nothing in this one: dropped, so that the save at start never pairs it with this boot's id.
        if (state.BootId != _bootId) state.TakenAtTimestamp = null;
        state.BootId = _bootId;
        state.Incarnation = Guid.NewGuid().ToString("N"); // this run's batches: never taken for an earlier run's
        _engine = new AttributionEngine(_sources.Devices, state, options.OtherRule, options.NodeModel);
        if (_engine.UsesModel) log($"no node meter: 'other' comes from the {options.NodeModel!.Label} model (derived; its mean error {options.NodeModel.MapePct?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} %)");
        _negativeLogged = _engine.NodeMeter?.NegativeIntervals ?? 0;
        _lostGpus = new LostGpus(_sources.Devices, options.NodeName, log);
        var cpus = CpuInfo.Read(options.Sources.ProcfsRoot).LogicalCpus;
        _tracker = new JobTracker(options, _sources.Devices, cpus, log, state, _clock.ToTimeline, () => _lastHousekeeping, RetireForNewRun);
        _stat = new ProcStatReader(options.Sources.ProcfsRoot);
        _audit = new GpuProcessAudit(options.Sources.ProcfsRoot, log);
        _nvml = _sources.Sources.OfType<NvmlGpuSource>().FirstOrDefault();
        _monotonicStart = options.TimeProvider.GetTimestamp();
        _startedAt = Now();
        _metrics = new MetricsServer(options.Listen, RenderMetrics, options.Web);
        _reports = new ReportWriter(options.ReportsDirectory, options.NodeName, options.ReportsReadableByOwner ? new ReportOwnership(log) : null);
        if (options.AppendReportToOutput) _toOutput = new ReportToOutput(_tracker.Store, new Coca.Slurm.Accounting.ScontrolClient(options.Scontrol), log);
        if (options.Server is { } server) _pusher = new Pusher(options, server, log);
        // Job scripts' metrics only go to the server: without one, coca metric inside a job has nowhere to put them.
        if (_pusher is not null) _jobMetrics = JobMetricsDropBox.Create(options.StateDirectory, id => _tracker.Store.Read(id)?.Uid, log);
        _pusher?.Continue(state);
        SaveIncarnation();
        log($"agent on {options.NodeName}: {_sources.Devices.Count} devices ({string.Join(", ", _sources.Devices.Where(d => d.Counted).Select(d => d.Id))}), " +
            $"state in {options.StateDirectory}{(state.TakenAt > 0 ? $", resuming from {DateTimeOffset.FromUnixTimeMilliseconds((long)(state.TakenAt * 1000)):O}" : "")}, /metrics on http://{_metrics.Endpoint}");
    }

    public System.Net.IPEndPoint MetricsEndpoint => _metrics.Endpoint;

    /// <summary>For benchmarks: whether the last tick did the housekeeping work.</summary>
    internal bool LastTickWasHousekeeping { get; private set; }

    /// <summary>For benchmarks: whether the last tick saved the books.</summary>
    internal bool LastTickWasCheckpoint { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var serving = _metrics.ServeAsync(cancellationToken);
        var pushing = _pusher?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        var ticking = TickLoop.Start(Tick, _options, cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        ticking.Join();
        _settleNow = true; // one last reading, and the CPU energy held since the last window split, before the books are saved
        Tick();
        lock (_gate)
        {
            _pusher?.Spool(_engine.Books, Now(), _sources.Devices, _buffer, _jobMetrics?.Take());
            _stateFile.Save(_engine.Books);
        }
        _log("agent stopped; state saved");
        await serving.ConfigureAwait(false);
        await pushing.ConfigureAwait(false);
    }

    /// <summary>
    /// One sample and its attribution; at housekeeping ticks also the CPU shares, the saved books and the GPU
    /// process audit. Never throws: a failed tick is logged and counted. Between housekeeping ticks it allocates nothing.
    /// </summary>
    public void Tick()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            lock (_gate)
            {
                var stamp = _clock.Timestamp();
                var now = _clock.MsAt(stamp) / 1000.0;
                _sources.Sample(_options.TimeProvider.GetElapsedTime(_monotonicStart, stamp).TotalSeconds, _buffer); // one clock read per tick
                var from = double.IsNaN(_lastTick) ? (_engine.Books.TakenAt > 0 ? _engine.Books.TakenAt : now) : _lastTick;
                var checkpoint = double.IsNaN(_lastCheckpoint) || now - _lastCheckpoint >= _options.CheckpointInterval.TotalSeconds;
                // Housekeeping closes a CPU-share window: on time, and whenever the books are saved, a job starts or ends.
                var housekeeping = double.IsNaN(_lastHousekeeping) || now - _lastHousekeeping >= _options.HousekeepingInterval.TotalSeconds ||
                    checkpoint || _settleNow || _tracker.RecordsChanged || now >= _nextEnd;
                _settleNow = false;
                if (housekeeping) WatchWallClock();
                var jobs = _tracker.Jobs(from, now, housekeeping, checkpoint, housekeeping ? MachineBusySeconds() : 0);
                _engine.Tick(now, _buffer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(jobs), settle: housekeeping);
                _engine.Books.TakenAtTimestamp = stamp;
                _lostGpus.Check(_buffer);
                _lastTick = now;
                if (housekeeping) _jobMetrics?.Collect(_engine.Books); // before a finished job's records (its user id) go
                var finished = housekeeping && FinishJobs(jobs, now);
                if (housekeeping) _nextEnd = NextEnd(jobs);
                // Metrics read go out at once, and the books that moved past their lines are saved with them.
                var metricsRead = _jobMetrics?.HasPending == true;
                if (_pusher is not null && _pusher.Due(now, finished || metricsRead)) _pusher.Spool(_engine.Books, now, _sources.Devices, _buffer, metricsRead ? _jobMetrics!.Take() : null);
                LastTickWasHousekeeping = housekeeping;
                if (housekeeping)
                {
                    _lastHousekeeping = now;
                    RetireOldJobs(now);
                }
                if (checkpoint && _nvml is not null) _audit.Check(_nvml, jobs);
                if (checkpoint && now - _lastSweep >= TemporaryFileSweepSeconds) SweepTemporaryFiles(now);
                if (checkpoint) LogNegativeResiduals();
                // Saved when jobs start or end too, so that a crash never spreads energy across a job's edge.
                LastTickWasCheckpoint = checkpoint || finished || _tracker.JobsChanged || metricsRead;
                if (LastTickWasCheckpoint)
                {
                    _stateFile.Save(_engine.Books);
                    _lastCheckpoint = now;
                }
                _ticks++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or JsonException)
        {
            _errors++;
            _log($"tick failed: {e.Message}");
        }
        _lastTickSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private bool FinishJobs(List<Holder> jobs, double now)
    {
        var any = false;
        for (var j = 0; j < jobs.Count; j++)
        {
            var job = jobs[j];
            var book = job.Book;
            if (job.To > now || book is null) continue;
            if (book.Final)
            {
                RemoveRecords(job.Id); // finished before a crash that came before its records went: no second report
                continue;
            }
            string? report = null;
            if (book.CoveredSeconds > 0 || book.Energy.Total.Microjoules != 0)
            {
                try
                {
                    report = _reports.Write(book, _engine.Books.NodeMeter);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    if (_reportFailed.Add(job.Id)) _log($"job {job.Id}: its report cannot be written ({e.Message}); the job is finished once it can");
                    continue;
                }
            }
            _reportFailed.Remove(job.Id);
            book.Final = true;
            book.FinalAt = now;
            _stateFile.Save(_engine.Books); // final before the records go: a crash here leaves a final book, whose records then go
            if (report is not null) _toOutput?.Deliver(job.Id, book.User, report); // after the save: at most once
            RemoveRecords(job.Id);
            _log(report is null
                ? $"job {job.Id} ({book.User}) ended with no reading in its span: nothing measured, no report"
                : $"job {job.Id} ({book.User}) finished: {Readable.Energy(book.Energy.Total)}; report in {report}");
            any = true;
        }
        return any;
    }

    private void RemoveRecords(string jobId)
    {
        try
        {
            _tracker.Store.Remove(jobId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"job {jobId}: its records cannot be removed ({e.Message})");
        }
    }

    private double NextEnd(List<Holder> jobs)
    {
        var next = double.PositiveInfinity;
        for (var j = 0; j < jobs.Count; j++)
        {
            // A job whose report failed is tried again at the housekeeping interval, not at every tick.
            if (jobs[j].Book is not { Final: true } && (_reportFailed.Count == 0 || !_reportFailed.Contains(jobs[j].Id))) next = Math.Min(next, jobs[j].To);
        }
        return next;
    }

    // A requeued job keeps its id: its finished book is retired (its report and final batch are out) for the new run's.
    private void RetireForNewRun(string jobId)
    {
        _engine.Retire(jobId);
        _reportFailed.Remove(jobId);
    }

    // Logged once per step: the timeline does not move with the wall clock (AgentClock), but a person should know.
    private void WatchWallClock()
    {
        var offset = _clock.WallOffsetMs();
        if (Math.Abs(offset - _wallOffsetMs) < 1000) return;
        _log($"the wall clock stepped {(_wallOffsetMs - offset) / 1000.0:+0.###;-0.###} s; energy keeps the monotonic clock, wall time only labels");
        _wallOffsetMs = offset;
    }

    // Saved before the first batch uses it; a full disk is logged and the first checkpoint tries again.
    private long _negativeLogged; // the count already said: books read back at a restart carry the count from before

    // The node meter read less than the components it holds (a BMC lagging them): counted in the books, said once a checkpoint, never charged.
    private void LogNegativeResiduals()
    {
        if (_engine.NodeMeter is not { } meter) return;
        if (meter.NegativeIntervals == _negativeLogged) return;
        _log($"node meter {meter.Device}: {meter.NegativeIntervals - _negativeLogged} tick(s) read less than the CPUs, memory and GPUs (not charged); {meter.DeficitUj / 1e6:0.#} J to make up before other is charged again");
        _negativeLogged = meter.NegativeIntervals;
    }

    private void SaveIncarnation()
    {
        try
        {
            _stateFile.Save(_engine.Books);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"cannot save the books in {_options.StateDirectory}: {e.Message}");
        }
    }

    // Temporary files outlive only a write cut short (a full disk, a crash): three directory scans every ten minutes find
    // them soon enough, where one at every checkpoint cost the save tick half again its CPU.
    private const double TemporaryFileSweepSeconds = 600;
    private double _lastSweep = double.NegativeInfinity;

    private void SweepTemporaryFiles(double nowUnix)
    {
        _lastSweep = nowUnix;
        var now = _options.TimeProvider.GetUtcNow();
        _tracker.Store.SweepTemporaryFiles(now);
        OwnerOnly.SweepTemporaryFiles(_options.ReportsDirectory, now);
        OwnerOnly.SweepTemporaryFiles(Path.Combine(_options.StateDirectory, "spool"), now);
    }

    private void RetireOldJobs(double now)
    {
        List<string>? old = null; // allocated only when some job is due
        foreach (var book in _engine.Books.Jobs.Values)
        {
            if (book.Final && now - book.FinalAt > _options.FinishedJobRetention.TotalSeconds) (old ??= []).Add(book.JobId);
        }
        if (old is null) return;
        foreach (var id in old)
        {
            _engine.Retire(id);
            _jobMetrics?.Forget(id);
        }
    }

    private double MachineBusySeconds()
    {
        if (!_stat.TryRead(out var now)) return 0;
        var busy = _hasCpu ? (now.Busy - _lastCpu.Busy) / CpuTimes.TicksPerSecond : 0;
        _lastCpu = now;
        _hasCpu = true;
        return busy;
    }

    private void RenderMetrics(ByteBuffer into)
    {
        lock (_gate)
        {
            _text.Render(into, _engine.Books, _kinds, new PrometheusText.AgentCounters(_ticks, _errors, _lastTickSeconds, _startedAt),
                Now(), _options.FinishedJobRetention, _audit.Foreign);
            _lostGpus.Render(into);
        }
    }

    /// <summary>For tests: /metrics as it would be served now.</summary>
    internal string MetricsText()
    {
        var buffer = new ByteBuffer();
        RenderMetrics(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.Written);
    }

    /// <summary>For tests: the books as they stand (read between ticks).</summary>
    internal Books Books => _engine.Books;

    /// <summary>For tests and checks: the books' residual (0 when they balance).</summary>
    public long Residual()
    {
        lock (_gate) return _engine.Residual();
    }

    // The agent's timeline (AgentClock): monotonic, labelled with the wall clock read at start.
    private double Now() => _clock.NowMs() / 1000.0;

    public void Dispose()
    {
        _tracker.Dispose();
        _stateFile.Dispose();
        _pusher?.Dispose();
        _metrics.Dispose();
        _sources.Dispose();
        _stat.Dispose();
    }
}
