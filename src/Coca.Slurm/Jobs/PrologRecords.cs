using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using Coca.Core.Jobs;
using Coca.Slurm.Files;

namespace Coca.Slurm.Jobs;

/// <summary>
/// Job records in <c>&lt;state-dir&gt;/jobs</c> (0700, files 0600: they carry every SLURM_* variable): <c>&lt;id&gt;.json</c>
/// from the Prolog, <c>&lt;id&gt;.end</c> from the Epilog. Written atomically (temporary file, then rename) so that the
/// agent never reads half a record, and without the agent: Prolog and Epilog return at once even when it is down.
/// A job id reaches a file name only once <see cref="JobId.IsValid"/> has accepted it.
/// </summary>
public sealed class PrologRecords
{
    public PrologRecords(string stateDirectory)
    {
        Directory = Path.Combine(stateDirectory, "jobs");
    }

    public string Directory { get; }

    /// <summary>
    /// Records a job's start. A Prolog starts a run: an end left by an Epilog without Prolog, or by the run before a
    /// requeue (which keeps the id), is removed first, so it cannot end the new run at once. A second Prolog while the
    /// run has no end keeps the first start, so the energy since then stays the job's.
    /// </summary>
    public void WriteProlog(JobRecord record)
    {
        var json = PathOf(record.JobId, ".json");
        var end = PathOf(record.JobId, ".end");
        OwnerOnly.CreateDirectory(Directory);
        if (!File.Exists(end) && TryRead(json, out var running) && running.StartedAt < record.StartedAt)
        {
            record = record with { StartedAt = running.StartedAt };
        }
        File.Delete(end);
        Write(json, JsonSerializer.Serialize(record, SlurmJsonContext.Default.JobRecord));
    }

    public void WriteEpilog(string jobId, DateTimeOffset endedAt) =>
        Write(PathOf(jobId, ".end"), endedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>
    /// Every record, with its end time when the Epilog has run. Unreadable files, records with an invalid job id, and
    /// ends older than their start are skipped and named in <paramref name="problems"/>; missing fields take defaults.
    /// </summary>
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
                if (!JobId.IsValid(record.JobId, JobIdForms.Job | JobIdForms.Steps) || record.JobId != Path.GetFileNameWithoutExtension(file))
                {
                    problems?.Add($"{file}: job id '{Printable(record.JobId)}' is not a Slurm job id of this file; skipped");
                    continue;
                }
                record = WithDefaults(record);
                var end = Path.ChangeExtension(file, ".end");
                if (File.Exists(end) && long.TryParse(File.ReadAllText(end).Trim(), out var ms))
                {
                    var endedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    if (endedAt >= record.StartedAt) record = record with { EndedAt = endedAt };
                    else problems?.Add($"{end}: ends before the job's Prolog record starts (an Epilog of an earlier run); ignored");
                }
                records.Add(record);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or ArgumentException)
            {
                problems?.Add($"{file}: {e.Message}");
            }
        }
        return records;
    }

    /// <summary>One job's Prolog record (without its end); null when it is missing or unreadable.</summary>
    public JobRecord? Read(string jobId) => TryRead(PathOf(jobId, ".json"), out var record) ? WithDefaults(record) : null;

    /// <summary>Removes a finished job's records once the agent has its final figures.</summary>
    public void Remove(string jobId)
    {
        File.Delete(PathOf(jobId, ".json"));
        File.Delete(PathOf(jobId, ".end"));
    }

    /// <summary>Removes temporary files that a dead hook or a full disk left behind; returns how many.</summary>
    public int SweepTemporaryFiles(DateTimeOffset now) => OwnerOnly.SweepTemporaryFiles(Directory, now);

    private string PathOf(string jobId, string extension)
    {
        if (!JobId.IsValid(jobId, JobIdForms.Job | JobIdForms.Steps)) throw new ArgumentException($"'{Printable(jobId)}' is not a Slurm job id (123, 123_4, 123+1)");
        return Path.Combine(Directory, jobId + extension);
    }

    private void Write(string path, string text)
    {
        OwnerOnly.CreateDirectory(Directory);
        OwnerOnly.WriteAtomically(path, text);
    }

    private static bool TryRead(string path, out JobRecord record)
    {
        record = null!;
        try
        {
            if (!File.Exists(path)) return false;
            record = JsonSerializer.Deserialize(File.ReadAllText(path), SlurmJsonContext.Default.JobRecord)!;
            return record is not null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // A record written by hand or by an older hook may lack fields, or hold null in them: defaults, never a crash.
    private static JobRecord WithDefaults(JobRecord record) => record with
    {
        User = record.User ?? "",
        Node = record.Node ?? "",
        GpuIndices = record.GpuIndices ?? [],
        SlurmEnvironment = record.SlurmEnvironment ?? new Dictionary<string, string>(),
    };

    private static string Printable(string? text) => text is null ? "" : new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobRecord))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext;
