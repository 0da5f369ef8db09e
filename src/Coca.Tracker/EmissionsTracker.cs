using System.Diagnostics;
using System.Globalization;
using Coca.Core.Carbon;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources;
using Coca.Sources.Procfs;
using Coca.Tracker.Output;
using Coca.Tracker.Results;
using Coca.Tracker.Scopes;

namespace Coca.Tracker;

/// <summary>
/// Measures the energy and emissions of whatever runs between <see cref="Start"/> and
/// <see cref="Stop"/>: <c>using var t = EmissionsTracker.Start("train");</c>. Samples every
/// device at start, every <see cref="TrackerOptions.Interval"/> and at stop.
/// </summary>
public sealed class EmissionsTracker : IDisposable, IAsyncDisposable
{
    private readonly TrackerOptions _options;
    private readonly SourceSet _sources;
    private readonly DeviceSample[] _buffer;
    private readonly RunAccumulator _accumulator;
    private readonly ICpuScope _scope;
    private readonly ProcStatReader _stat;
    private readonly CarbonInputs _carbon;
    private readonly Lock _gate = new();
    private readonly PeriodicTimer? _timer;
    private readonly ManualResetEvent? _stopping;
    private readonly Task _loop;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startedAt;
    private readonly double _scopeCpuAtStart;
    private readonly CpuTimes _machineAtStart;
    private readonly bool _hasMachineAtStart;
    private RunResult? _result;
    private bool _discarded;

    private EmissionsTracker(string project, TrackerOptions options)
    {
        _options = options;
        Project = project;
        // Validate carbon inputs before touching any hardware: a bad flag is a usage error.
        _carbon = CarbonInputs.Resolve(options.Country, options.CarbonIntensity, options.Pue);
        if (options.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"interval must be positive, got {options.Interval.TotalSeconds} s");
        }

        _sources = SourceSet.Open(options.Sources);
        _buffer = _sources.NewSampleBuffer();
        _accumulator = new RunAccumulator(_sources.Devices);
        _scope = options.CpuScope ?? new CurrentProcessScope();
        _stat = new ProcStatReader(options.Sources.ProcfsRoot);
        _startedAt = options.TimeProvider.GetUtcNow();
        _startTimestamp = options.TimeProvider.GetTimestamp();
        _scopeCpuAtStart = _scope.CpuSeconds();
        _hasMachineAtStart = _stat.TryRead(out _machineAtStart);
        SampleNow();
        if (ReferenceEquals(options.TimeProvider, TimeProvider.System))
        {
            // On the real clock, a thread of its own that sleeps in the kernel between samples: a PeriodicTimer wakes
            // the timer thread, which wakes a pool worker, which wakes another — about seven wake-ups a second, which
            // cost `coca run` more than the sample itself.
            _stopping = new ManualResetEvent(false);
            var loop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            new Thread(() => SampleLoop(loop)) { IsBackground = true, Name = "coca-sampler" }.Start();
            _loop = loop.Task;
        }
        else
        {
            _timer = new PeriodicTimer(_options.Interval, _options.TimeProvider);
            _loop = RunLoopAsync();
        }
    }

    public string Project { get; }
    public IReadOnlyList<DeviceInfo> Devices => _sources.Devices;
    public IReadOnlyList<SourceIssue> Issues => _sources.Issues;
    public RunId Id { get; } = RunId.New();

    /// <summary>Samples taken so far (one at start, one per interval, one at stop).</summary>
    public int SampleCount
    {
        get
        {
            lock (_gate) return _accumulator.Samples;
        }
    }

    public static EmissionsTracker Start(string project = "coca", TrackerOptions? options = null) =>
        new(project, options ?? new TrackerOptions());

    /// <summary>Takes the last sample and returns the result; later calls return the same result.</summary>
    public RunResult Stop(int? exitCode = null)
    {
        lock (_gate)
        {
            if (_result is not null) return _result;
            if (_discarded) throw new InvalidOperationException("the tracker was discarded: there is no result");
            StopLoop();
        }
        _loop.GetAwaiter().GetResult();
        _stopping?.Dispose();
        lock (_gate)
        {
            SampleNow();
            _result = BuildResult(exitCode);
            _sources.Dispose();
            _stat.Dispose();
            if (_options.OutputDirectory is { } dir) _result = WithCsvRow(dir, _result);
            return _result;
        }
    }

    // A finished measurement is never lost to its file: a row that cannot be written is a warning on the result.
    private static RunResult WithCsvRow(string directory, RunResult result)
    {
        try
        {
            return result with { EmissionsCsvPath = EmissionsCsv.Append(directory, result) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return result with { Warnings = [.. result.Warnings, $"{EmissionsCsv.FileName} not written in {directory}: {e.Message}"] };
        }
    }

    /// <summary>
    /// Stops sampling and releases the hardware without a result and without a CSV row: for work that never
    /// ran (a command that could not start). <see cref="Stop"/> afterwards is an error.
    /// </summary>
    public void Discard()
    {
        lock (_gate)
        {
            if (_result is not null || _discarded) return;
            _discarded = true;
            StopLoop();
        }
        _loop.GetAwaiter().GetResult();
        _stopping?.Dispose();
        _sources.Dispose();
        _stat.Dispose();
    }

    public void Dispose()
    {
        if (!_discarded) Stop();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // Ends the loop without an exception: a thrown one costs a run milliseconds.
    private void StopLoop()
    {
        _timer?.Dispose();
        _stopping?.Set();
    }

    private void SampleLoop(TaskCompletionSource done)
    {
        try
        {
            var next = Stopwatch.GetTimestamp();
            var period = (long)(_options.Interval.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                next += period;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero && _stopping!.WaitOne(wait)) break;
                if (wait < -_options.Interval) next = Stopwatch.GetTimestamp(); // late by a whole interval: skip, as PeriodicTimer does
                lock (_gate)
                {
                    if (_result is not null || _discarded) break;
                    SampleNow();
                }
            }
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }

    private async Task RunLoopAsync()
    {
        while (await _timer!.WaitForNextTickAsync().ConfigureAwait(false))
        {
            lock (_gate)
            {
                if (_result is not null) return;
                SampleNow();
            }
        }
    }

    private void SampleNow()
    {
        var now = ElapsedSeconds();
        _sources.Sample(now, _buffer);
        _accumulator.Add(now, _buffer);
        _scope.CpuSeconds();
    }

    private double ElapsedSeconds() => _options.TimeProvider.GetElapsedTime(_startTimestamp).TotalSeconds;

    private RunResult BuildResult(int? exitCode)
    {
        var duration = ElapsedSeconds();
        var scopeCpu = Math.Max(0, _scope.FinalCpuSeconds() - _scopeCpuAtStart);
        var share = CpuShare(scopeCpu);
        _accumulator.Finish(duration, share);
        var machine = _accumulator.Machine();
        var energy = ComponentJoules.From(machine);
        var attributed = ComponentJoules.From(_accumulator.Attributed());
        var warnings = _sources.Issues.Where(i => i.Level == SourceIssueLevel.Warning).Select(i => i.ToString()).ToList();
        var (metrics, metricWarnings) = RunMetrics.Read(_options.MetricsFile);
        warnings.AddRange(metricWarnings);
        var devices = new List<DeviceResult>();
        for (var i = 0; i < _sources.Devices.Count; i++)
        {
            var d = _sources.Devices[i];
            var joules = _accumulator.EnergyOf(i).Joules;
            if (_accumulator.WasLost(i))
            {
                warnings.Add($"{d.Source}: {d.Id} was lost during the run; the energy measured before is kept, the rest is missing");
            }
            devices.Add(new DeviceResult(d.Id, d.Component.ToWire(), joules, _accumulator.ProvenanceOf(i).ToWire(), d.Counted,
                d.Source, d.Label, duration > 0 ? joules / duration : null, d.Note, d.Attributes));
        }

        return new RunResult
        {
            Command = _options.Command,
            ExitCode = exitCode,
            Project = Project,
            RunId = Id.Value,
            StartedAt = _startedAt,
            EndedAt = _startedAt + TimeSpan.FromSeconds(duration),
            DurationS = duration,
            EnergyJ = energy,
            AttributedJ = attributed,
            Provenance = ComponentProvenance.From(machine),
            CpuShare = share,
            CpuTimeS = scopeCpu,
            Carbon = new CarbonResult(_carbon.Country, _carbon.GramsPerKwh, _carbon.IntensitySource, _carbon.Pue,
                CarbonCalculator.EmissionsGrams(energy.Total, _carbon), CarbonCalculator.EmissionsGrams(attributed.Total, _carbon)),
            Devices = devices,
            Machine = MachineFactsReader.Read(_options.Sources.ProcfsRoot, _sources.Devices),
            GpuSelection = _sources.GpuSelection?.Description,
            Samples = _accumulator.Samples,
            Warnings = warnings,
            Metrics = metrics,
        };
    }

    private double CpuShare(double scope)
    {
        if (!_hasMachineAtStart || !_stat.TryRead(out var now))
        {
            return scope > 0 ? 1 : 0;
        }
        var machine = (now.Busy - _machineAtStart.Busy) / CpuTimes.TicksPerSecond;
        // /proc/stat ticks at 10 ms: a short busy command may out-count the machine by a tick.
        return machine <= 0 ? (scope > 0 ? 1 : 0) : Math.Clamp(scope / machine, 0, 1);
    }
}

/// <summary>A run's identity: a UUID, as CodeCarbon's <c>run_id</c>.</summary>
public readonly record struct RunId(string Value)
{
    public static RunId New() => new(Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture));
}
