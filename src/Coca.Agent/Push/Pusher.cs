using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Readings;

namespace Coca.Agent.Push;

/// <summary>
/// The agent's side of the server: a numbered batch of the books every push interval (and at every job end) into
/// the spool, and a loop of its own that drains the spool to the server, with one last try at a stop.
/// </summary>
internal sealed class Pusher : IDisposable
{
    private readonly Spool _spool;
    private readonly Uploader _uploader;
    private readonly AgentOptions _options;
    private double _lastBatch = double.NaN;

    public Pusher(AgentOptions options, Uri server, Action<string> log)
    {
        if (string.IsNullOrWhiteSpace(options.Token)) throw new ArgumentException("--server needs --token-file with this node's agent token (coca token issue --node NAME)");
        _options = options;
        _spool = new Spool(options.StateDirectory, options.SpoolMaxBatches, log);
        _uploader = new Uploader(_spool, server, options.Token.Trim(), log);
    }

    /// <summary>
    /// Numbers the batches of this agent run after every batch still waiting in the spool (a SIGKILL after a batch was
    /// spooled and before the books were saved leaves one numbered past the books).
    /// </summary>
    public void Continue(Books books) => books.NextBatchSequence = Math.Max(books.NextBatchSequence, _spool.HighestSequence() + 1);

    /// <summary>Whether a batch is due: the interval has passed, or a job just finished (its final figures go at once).</summary>
    public bool Due(double now, bool jobFinished) => jobFinished || double.IsNaN(_lastBatch) || now - _lastBatch >= _options.PushInterval.TotalSeconds;

    // Spooled before the books are saved: a crash in between leaves the batch waiting, and the next run numbers after it (Continue)
    // under its own incarnation, so nothing the server has is taken for a replay.
    public void Spool(Books books, double now, IReadOnlyList<DeviceInfo> devices, ReadOnlySpan<DeviceSample> samples, IReadOnlyList<IngestMetric>? metrics = null)
    {
        _spool.Add(BatchBuilder.Build(books, books.NextBatchSequence, now, devices, samples, metrics));
        books.NextBatchSequence++;
        _lastBatch = now;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Min(_options.PushInterval.TotalSeconds, 5));
        while (!cancellationToken.IsCancellationRequested)
        {
            await _uploader.DrainAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(period, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(3)); // one last try for the final batch
        await _uploader.DrainAsync(last.Token).ConfigureAwait(false);
    }

    public void Dispose() => _uploader.Dispose();
}
