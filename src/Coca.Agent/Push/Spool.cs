using System.Globalization;
using System.Text.Json;
using Coca.Core.Ingest;

namespace Coca.Agent.Push;

/// <summary>
/// Batches waiting for the server, one file each in <c>&lt;state-dir&gt;/spool</c>, written atomically and
/// removed once the server has them. Bounded: past <see cref="MaxBatches"/>, the oldest go first. Every
/// batch carries its jobs' cumulative figures, so a dropped old batch loses only its series points.
/// </summary>
internal sealed class Spool(string stateDirectory, int maxBatches, Action<string> log)
{
    public string Directory { get; } = Path.Combine(stateDirectory, "spool");
    public int MaxBatches { get; } = Math.Max(1, maxBatches);

    public void Add(IngestBatch batch)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(batch.Sequence);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch));
        File.Move(temporary, path, overwrite: true);
        var waiting = Pending();
        for (var i = 0; i < waiting.Count - MaxBatches; i++)
        {
            File.Delete(waiting[i].Path);
            log($"spool full ({MaxBatches} batches): dropped batch {waiting[i].Sequence}; its jobs' totals travel in later batches, its series points are lost");
        }
    }

    /// <summary>Waiting batches, oldest first.</summary>
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

    private string PathOf(long sequence) => Path.Combine(Directory, sequence.ToString("D12", CultureInfo.InvariantCulture) + ".json");
}
