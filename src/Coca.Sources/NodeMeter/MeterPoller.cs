using Coca.Core.Metering;

namespace Coca.Sources.NodeMeter;

/// <summary>
/// Reads a node meter on its own background task, one request in flight, every <see cref="IntervalSeconds"/>, and
/// publishes the last reading: the tick only reads a reference, so a slow or dead BMC never delays it.
/// </summary>
public sealed class MeterPoller : IDisposable
{
    private readonly IMeterReader _reader;
    private readonly Func<double> _now;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private MeterReading? _latest;
    private string? _problem;
    private long _failures;

    /// <param name="time">The clock readings are stamped with and the loop sleeps by; the system's when null.</param>
    public MeterPoller(IMeterReader reader, double intervalSeconds, TimeProvider? time = null)
    {
        _reader = reader;
        var clock = time ?? TimeProvider.System;
        var start = clock.GetTimestamp();
        _now = () => clock.GetElapsedTime(start).TotalSeconds;
        IntervalSeconds = intervalSeconds;
    }

    public double IntervalSeconds { get; }
    public IMeterReader Reader => _reader;

    /// <summary>The last good reading; null before the first.</summary>
    public MeterReading? Latest => Volatile.Read(ref _latest);

    /// <summary>Why the last read failed; null when it succeeded.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Starts the background loop (once).</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>One read now, on the caller's thread: for <c>coca sensors</c> and tests.</summary>
    public async Task<bool> ReadOnceAsync(CancellationToken cancel)
    {
        try
        {
            var reading = await _reader.ReadAsync(_now, cancel).ConfigureAwait(false);
            Volatile.Write(ref _latest, reading);
            Volatile.Write(ref _problem, null);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            // Any failure keeps the loop alive. Only a MeterProblemException's message is known to carry no secret;
            // anything else is named by its type.
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _problem, e is MeterProblemException ? e.Message : $"{_reader.Name}: unexpected {e.GetType().Name}");
            return false;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var period = TimeSpan.FromSeconds(IntervalSeconds);
        while (!stop.IsCancellationRequested)
        {
            var started = _now();
            await ReadOnceAsync(stop).ConfigureAwait(false);
            var left = period - TimeSpan.FromSeconds(Math.Max(0, _now() - started));
            try
            {
                if (left > TimeSpan.Zero) await Task.Delay(left, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends on cancellation; nothing of it is needed any more
        }
        _reader.Dispose();
        _stop.Dispose();
    }
}
