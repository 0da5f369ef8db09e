using System.Globalization;
using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Slurm.Files;

namespace Coca.Agent.Push;

/// <summary>
/// Batches waiting for the server, one file each in <c>&lt;state-dir&gt;/spool</c> (0700, files 0600), written
/// atomically and removed once the server has them. Bounded: past <see cref="MaxBatches"/>, the oldest go first — but
/// a batch carrying a job's final figures or job metrics only loses its series points: a finished job leaves the later
/// batches once it is retired, so that batch may be the last to carry its totals, and final figures are never dropped.
/// </summary>
internal sealed class Spool(string stateDirectory, int maxBatches, Action<string> log)
{
    public string Directory { get; } = Path.Combine(stateDirectory, "spool");
    public int MaxBatches { get; } = Math.Max(1, maxBatches);

    public void Add(IngestBatch batch)
    {
        OwnerOnly.CreateDirectory(Directory);
        Write(PathOf(batch.Sequence), batch);
        var waiting = Pending();
        var over = waiting.Count - MaxBatches;
        for (var i = 0; i < waiting.Count && over > 0; i++)
        {
            if (waiting[i].Sequence == batch.Sequence) continue;
            var (sequence, path) = waiting[i];
            var kept = Read(path);
            // Metrics are read once (the books move past their lines), so a batch carrying some is kept like a final one.
            if (kept is not null && (kept.Jobs.Any(j => j.Final) || kept.Metrics is { Count: > 0 }))
            {
                if (kept.Series.Count == 0) continue; // already trimmed: kept whole until the server has it
                Write(path, kept with { Series = [] });
                log($"spool full ({MaxBatches} batches): batch {sequence} lost its series points; its job metrics and final job figures are kept");
            }
            else
            {
                File.Delete(path);
                log($"spool full ({MaxBatches} batches): dropped batch {sequence}; its jobs' totals travel in later batches, its series points are lost");
            }
            over--;
        }
    }

    /// <summary>Waiting batches, oldest first (by sequence, which goes on across agent runs).</summary>
    public List<(long Sequence, string Path)> Pending()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(p => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var s), Sequence: s, Path: p))
            .Where(x => x.Ok)
            .OrderBy(x => x.Sequence)
            .Select(x => (x.Sequence, x.Path))
            .ToList();
    }

    /// <summary>The highest sequence waiting, 0 when none: a restarted agent numbers after it, so no waiting batch is overwritten.</summary>
    public long HighestSequence()
    {
        var pending = Pending();
        return pending.Count > 0 ? pending[^1].Sequence : 0;
    }

    private static void Write(string path, IngestBatch batch) =>
        OwnerOnly.WriteAtomically(path, JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch));

    private IngestBatch? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), IngestJsonContext.Default.IngestBatch);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            log($"spool: cannot read {path} ({e.Message}); dropping it");
            return null;
        }
    }

    private string PathOf(long sequence) => Path.Combine(Directory, sequence.ToString("D12", CultureInfo.InvariantCulture) + ".json");
}
