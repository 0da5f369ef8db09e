using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coca.Slurm.Jobs;

/// <summary>
/// Job records in <c>&lt;state-dir&gt;/jobs</c>: <c>&lt;id&gt;.json</c> from the Prolog, <c>&lt;id&gt;.end</c> from the
/// Epilog. Written atomically (temporary file, then rename) so that the agent never reads half a
/// record, and without the agent: Prolog and Epilog return at once even when it is down.
/// </summary>
public sealed class JobRecordStore
{
    public JobRecordStore(string stateDirectory)
    {
        Directory = Path.Combine(stateDirectory, "jobs");
    }

    public string Directory { get; }

    public void WriteProlog(JobRecord record) => WriteAtomically(Path.Combine(Directory, record.JobId + ".json"),
        JsonSerializer.Serialize(record, SlurmJsonContext.Default.JobRecord));

    public void WriteEpilog(string jobId, DateTimeOffset endedAt) => WriteAtomically(Path.Combine(Directory, jobId + ".end"),
        endedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>Every record, with its end time when the Epilog has run. Unreadable files are skipped and named in <paramref name="problems"/>.</summary>
    public IReadOnlyList<JobRecord> ReadAll(List<string>? problems = null)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var records = new List<JobRecord>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllText(file), SlurmJsonContext.Default.JobRecord);
                if (record is null) continue;
                var end = Path.ChangeExtension(file, ".end");
                if (File.Exists(end) && long.TryParse(File.ReadAllText(end).Trim(), out var ms))
                {
                    record = record with { EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
                }
                records.Add(record);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                problems?.Add($"{file}: {e.Message}");
            }
        }
        return records;
    }

    /// <summary>Removes a finished job's records once the agent has its final figures.</summary>
    public void Remove(string jobId)
    {
        File.Delete(Path.Combine(Directory, jobId + ".json"));
        File.Delete(Path.Combine(Directory, jobId + ".end"));
    }

    private void WriteAtomically(string path, string text)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobRecord))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext;
