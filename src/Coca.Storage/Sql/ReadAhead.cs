using System.Collections.Concurrent;

namespace Coca.Storage.Sql;

/// <summary>
/// Reads a query's parts on other threads while the caller works through what was already read, a few thousand rows
/// ahead: the behaviours spend as long reading a year from the store as judging it. A reader's error reaches the
/// caller; a caller that stops early stops the readers and waits for them, so that no connection is used by two
/// threads at once.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 4096;
    private const int Batches = 8;

    /// <summary>
    /// The parts, in order, each read whole by one of <paramref name="readers"/> threads (part i by reader i mod
    /// readers, which the part is told, to use that reader's connection), each reader a few batches ahead on its own
    /// queue: where reading costs as much as the caller's work, one reader was the slower half of the pipeline. The
    /// order is the parts' order whatever the readers' pace; a reader's error reaches the caller; a caller that stops
    /// early stops the readers and waits for them.
    /// </summary>
    public static IEnumerable<T> Interleaved<T>(IReadOnlyList<Func<int, IEnumerable<T>>> parts, int readers)
    {
        readers = Math.Clamp(readers, 1, Math.Max(1, parts.Count));
        var queues = new BlockingCollection<T[]>[readers];
        for (var r = 0; r < readers; r++) queues[r] = new BlockingCollection<T[]>(Batches);
        using var stop = new CancellationTokenSource();
        var tasks = new Task[readers];
        for (var r = 0; r < readers; r++)
        {
            var reader = r;
            tasks[r] = Task.Run(() => Read(parts, reader, readers, queues[reader], stop.Token));
        }
        var finished = false;
        try
        {
            var failed = false;
            for (var p = 0; p < parts.Count && !failed; p++)
            {
                var queue = queues[p % readers];
                while (true)
                {
                    // An empty batch ends a part; a queue closed before it means its reader failed (its error is thrown below).
                    if (!queue.TryTake(out var batch, Timeout.Infinite))
                    {
                        failed = true;
                        break;
                    }
                    if (batch.Length == 0) break;
                    foreach (var item in batch) yield return item;
                }
            }
            finished = !failed;
        }
        finally
        {
            if (!finished) stop.Cancel();
            try
            {
                Task.WaitAll(tasks);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                // The caller stopped early: the readers were told to stop, nothing was lost.
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions.First(x => x is not OperationCanceledException));
            }
            finally
            {
                foreach (var q in queues) q.Dispose();
            }
        }
    }

    private static void Read<T>(IReadOnlyList<Func<int, IEnumerable<T>>> parts, int reader, int readers, BlockingCollection<T[]> queue, CancellationToken stop)
    {
        try
        {
            var batch = new List<T>(BatchSize);
            for (var p = reader; p < parts.Count; p += readers)
            {
                foreach (var item in parts[p](reader))
                {
                    batch.Add(item);
                    if (batch.Count < BatchSize) continue;
                    queue.Add([.. batch], stop);
                    batch.Clear();
                }
                if (batch.Count > 0) queue.Add([.. batch], stop);
                batch.Clear();
                queue.Add([], stop);
            }
        }
        finally
        {
            queue.CompleteAdding();
        }
    }
}
