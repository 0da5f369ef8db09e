using System.Collections.Concurrent;

namespace Coca.Storage.Sql;

/// <summary>
/// Reads a query on a second thread while the caller works through what was already read, a few thousand rows
/// ahead: the behaviours spend as long reading a year from the store as judging it, and a machine has two cores.
/// The reader's error reaches the caller; a caller that stops early stops the reader and waits for it, so the
/// connection is never used by two threads at once.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 4096;
    private const int Batches = 8;

    public static IEnumerable<T> Of<T>(IEnumerable<T> source)
    {
        using var queue = new BlockingCollection<T[]>(Batches);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            try
            {
                var batch = new List<T>(BatchSize);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count < BatchSize) continue;
                    queue.Add([.. batch], stop.Token);
                    batch.Clear();
                }
                if (batch.Count > 0) queue.Add([.. batch], stop.Token);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        var finished = false;
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
            {
                foreach (var item in batch) yield return item;
            }
            finished = true;
        }
        finally
        {
            if (!finished) stop.Cancel();
            try
            {
                reader.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!finished)
            {
                // The caller stopped early: the reader was told to stop, nothing was lost.
            }
        }
    }
}
