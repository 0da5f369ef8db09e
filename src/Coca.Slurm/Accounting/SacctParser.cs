using System.Globalization;
using Coca.Core.Accounting;
using Coca.Core.Jobs;

namespace Coca.Slurm.Accounting;

/// <summary>
/// Reads <c>sacct --parsable2</c> output with its header line (columns in any order; unknown ones ignored).
/// Steps (<c>.batch</c>, <c>.extern</c>, <c>.0</c>) and heterogeneous components (<c>123+1</c>) fold into
/// their job; array tasks stay jobs of their own. A malformed line is reported with its number and
/// skipped; every good record is kept.
/// </summary>
public static class SacctParser
{
    public sealed record Result(IReadOnlyList<AccountingJob> Jobs, IReadOnlyList<string> Problems, int Lines);

    public static Result Parse(TextReader reader, string delimiter, TimeZoneInfo zone)
    {
        var problems = new List<string>();
        string[]? header = null;
        var jobs = new Dictionary<string, SacctJobFolder>(StringComparer.Ordinal);
        var order = new List<string>();
        var lineNumber = 0;
        var dataLines = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = line.TrimEnd('\r').Split(delimiter);
            if (header is null)
            {
                header = fields.Select(f => f.Trim()).ToArray();
                if (!header.Any(h => h.Equals("JobID", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new FormatException($"line {lineNumber}: the first line must be sacct's header (run sacct without --noheader), with a JobID column; got '{Shorten(line)}'");
                }
                continue;
            }
            dataLines++;
            if (line.Any(c => c == '\0' || (char.IsControl(c) && c is not ('\t' or '\r'))))
            {
                problems.Add($"line {lineNumber}: a control character (NUL, escape…) in the line, skipped");
                continue;
            }
            // --parsable (not 2) ends every line with a delimiter: one empty field too many.
            if (fields.Length == header.Length + 1 && fields[^1].Length == 0) fields = fields[..^1];
            // SubmitLine is free text and last in our --format: a delimiter in it (sbatch --wrap "a | b") belongs to it.
            if (fields.Length > header.Length && header[^1].Equals("SubmitLine", StringComparison.OrdinalIgnoreCase))
            {
                fields = [.. fields[..(header.Length - 1)], string.Join(delimiter, fields[(header.Length - 1)..])];
            }
            if (fields.Length != header.Length)
            {
                problems.Add($"line {lineNumber}: {fields.Length} fields where the header has {header.Length}, skipped");
                continue;
            }
            var row = new Row(header, fields);
            if (!TryRead(row, zone, out var id, out var step, out var leader, out var job, out var error))
            {
                problems.Add($"line {lineNumber}: {error}, skipped");
                continue;
            }
            if (!jobs.TryGetValue(id, out var builder))
            {
                jobs[id] = builder = new SacctJobFolder();
                order.Add(id);
            }
            if (step is not null) builder.AddStep(job, step);
            else builder.SetJob(job, leader);
        }
        if (header is null) throw new FormatException("empty input: expected sacct --parsable2 output with its header line");
        var result = new List<AccountingJob>();
        foreach (var id in order)
        {
            if (jobs[id].Build() is { } j) result.Add(j);
            else problems.Add($"job {id}: only steps, no job line; skipped");
        }
        return new Result(result, problems, dataLines);
    }

    private static bool TryRead(Row row, TimeZoneInfo zone, out string id, out string? step, out bool leader, out AccountingJob job, out string? error)
    {
        job = null!;
        step = null;
        leader = true;
        id = "";
        error = null;
        var jobIdText = row.Get("JobID") ?? "";
        if (!JobId.TryParse(jobIdText, out var parsed, JobIdForms.Steps | JobIdForms.ArrayRanges))
        {
            error = JobId.Describe(jobIdText);
            return false;
        }
        var baseId = parsed!.Job;                 // 123, 123_4, 123_[1-5]
        var hetComponent = parsed.HetComponent is not null;
        step = parsed.Step;
        // Steps of a job share its JobIDRaw; an array task has its own; het components fold into the leader's JobID.
        string raw = baseId;
        if (row.Get("JobIDRaw") is { Length: > 0 } r)
        {
            if (!JobId.TryParse(r, out var rawId, JobIdForms.Steps | JobIdForms.ArrayRanges))
            {
                error = "JobIDRaw: " + JobId.Describe(r);
                return false;
            }
            raw = rawId!.Job;
        }
        id = hetComponent ? baseId : raw;
        leader = !hetComponent || parsed.HetComponent == "0";

        string? arrayJob = null;
        int? arrayTask = null;
        var underscore = baseId.IndexOf('_', StringComparison.Ordinal);
        if (underscore > 0)
        {
            arrayJob = baseId[..underscore];
            if (int.TryParse(baseId[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var task)) arrayTask = task;
        }

        if (!TryTime(row.Get("Submit"), zone, out var submit, out error)
            || !TryTime(row.Get("Start"), zone, out var start, out error)
            || !TryTime(row.Get("End"), zone, out var end, out error))
        {
            return false;
        }
        long? elapsed = null;
        if (row.Get("Elapsed") is { Length: > 0 } e)
        {
            if (!TryElapsed(e, out var seconds))
            {
                error = $"Elapsed '{e}' is not [D-]HH:MM:SS";
                return false;
            }
            elapsed = seconds;
        }
        if (!TryEnergy(row.Get("ConsumedEnergyRaw"), out var energy, out error)) return false;
        if (!SacctValues.TryCpuTime(row.Get("TotalCPU"), out var totalCpu, out error)
            || !SacctValues.TryCount(FirstGiven(row.Get("AllocCPUS"), row.Get("NCPUS")), "AllocCPUS", out var cpus, out error)
            || !SacctValues.TryCount(row.Get("NNodes"), "NNodes", out var nodes, out error)
            || !SacctValues.TryReqMem(row.Get("ReqMem"), nodes, cpus, out var reqMem, out error)
            || !SacctValues.TryBytes(row.Get("MaxRSS"), "MaxRSS", out var maxRss, out error)
            || !SacctValues.TryTimelimit(row.Get("Timelimit"), out var timelimit, out error))
        {
            return false;
        }
        var reqTres = row.Get("ReqTRES");
        // Without ReqMem, the request's mem TRES is the whole job's memory; a malformed one is only a missing figure (the text is kept).
        if (reqMem is null && TresValue(reqTres, "mem") is { } mem && SacctValues.TryBytes(mem, "ReqTRES mem", out var tresMem, out _)) reqMem = tresMem;
        var state = row.Get("State");
        if (state is not null && state.StartsWith("CANCELLED", StringComparison.Ordinal)) state = "CANCELLED";
        job = new AccountingJob
        {
            JobIdRaw = id,
            JobId = baseId,
            ArrayJobId = arrayJob,
            ArrayTaskId = arrayTask,
            Name = row.Get("JobName"),
            User = row.Get("User"),
            Group = row.Get("Group"),
            Account = row.Get("Account"),
            Partition = row.Get("Partition"),
            Nodes = row.Get("NodeList") is { } n && n != "None assigned" ? n : null,
            Gpus = Tres.GpuCount(row.Get("AllocTRES")),
            State = state,
            ExitCode = row.Get("ExitCode"),
            Submit = submit,
            Start = start,
            End = end,
            ElapsedS = elapsed,
            SlurmEnergyJ = energy,
            TresUsageInTot = row.Get("TRESUsageInTot"),
            GpuUtilisation = Tres.GpuUtilisation(row.Get("TRESUsageInTot"), Tres.GpuCount(row.Get("AllocTRES"))),
            Comment = row.Get("Comment"),
            TotalCpuS = totalCpu,
            AllocCpus = cpus,
            ReqMemBytes = reqMem,
            MaxRssBytes = maxRss,
            TimelimitS = timelimit,
            SubmitLine = NullIfEmpty(row.Get("SubmitLine")),
            WorkDir = NullIfEmpty(row.Get("WorkDir")),
            ReqTres = NullIfEmpty(reqTres),
            TresUsageInAve = NullIfEmpty(row.Get("TRESUsageInAve")),
        };
        return true;
    }

    /// <summary>GPUs from AllocTRES: see <see cref="Tres.GpuCount"/> (0 for a CPU-only job, null without AllocTRES).</summary>
    public static int? GpuCount(string? tres) => Tres.GpuCount(tres);

    // Slurm writes NO_VAL64 (2^64 − 2) where a node had no energy plugin: no figure, not 18 EJ.
    private const double NoValue = 1.8e19;

    /// <summary>ConsumedEnergyRaw in joules: finite and ≥ 0, or the line is refused; empty or Slurm's "no value" is null.</summary>
    public static bool TryEnergy(string? text, out double? joules, out string? error)
    {
        joules = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var j) || !double.IsFinite(j) || j < 0)
        {
            error = $"ConsumedEnergyRaw '{Shorten(text)}' is not a finite number of joules ≥ 0";
            return false;
        }
        if (j < NoValue) joules = j;
        return true;
    }

    public static bool TryElapsed(string text, out long seconds)
    {
        seconds = 0;
        var days = 0L;
        var rest = text;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days)) return false;
            rest = text[(dash + 1)..];
        }
        var parts = rest.Split(':');
        if (parts.Length is < 2 or > 3) return false;
        long total = 0;
        foreach (var p in parts)
        {
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > 36_500L * 86_400) return false;
            total = total * 60 + v;
        }
        // A hundred years is more than any job runs: a longer figure is a typo or an overflow, not an elapsed time.
        if (days > 36_500 || total > 36_500L * 86_400) return false;
        seconds = days * 86_400 + total;
        return true;
    }

    private static bool TryTime(string? text, TimeZoneInfo zone, out DateTimeOffset? time, out string? error)
    {
        time = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text is "Unknown" or "None") return true;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"time '{text}' is not YYYY-MM-DDTHH:MM:SS";
            return false;
        }
        var offset = zone.GetUtcOffset(local);
        time = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }

    private static string StepFree(string raw)
    {
        var dot = raw.IndexOf('.', StringComparison.Ordinal);
        var plus = raw.IndexOf('+', StringComparison.Ordinal);
        var cut = new[] { dot, plus }.Where(i => i > 0).DefaultIfEmpty(raw.Length).Min();
        return raw[..cut];
    }

    private static string? TresValue(string? tres, string key)
    {
        foreach (var part in (tres ?? "").Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part.AsSpan(0, eq).Trim().SequenceEqual(key)) return part[(eq + 1)..].Trim();
        }
        return null;
    }

    private static string? FirstGiven(string? a, string? b) => string.IsNullOrEmpty(a) ? b : a;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;

    private sealed class Row(string[] header, string[] fields)
    {
        public string? Get(string column)
        {
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i].Equals(column, StringComparison.OrdinalIgnoreCase)) return fields[i].Trim();
            }
            return null;
        }
    }
}
