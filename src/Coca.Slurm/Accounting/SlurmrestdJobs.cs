using System.Globalization;
using System.Text.Json;
using Coca.Core.Accounting;

namespace Coca.Slurm.Accounting;

/// <summary>
/// Jobs from slurmrestd's <c>/slurmdb/vX/jobs</c>, in the 22.05 shape (<c>v0.0.38</c>: plain numbers, a state
/// string) and the newer one (<c>v0.0.40</c> and later: <c>{"set","number"}</c> numbers, state and status
/// arrays). Unknown fields are ignored; a job without an id is reported and skipped.
/// </summary>
public static class SlurmrestdJobs
{
    public static (IReadOnlyList<AccountingJob> Jobs, IReadOnlyList<string> Problems) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var problems = new List<string>();
        var jobs = new List<AccountingJob>();
        if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in errors.EnumerateArray()) problems.Add("slurmrestd: " + (Text(e, "description") ?? Text(e, "error") ?? e.ToString()));
        }
        if (!document.RootElement.TryGetProperty("jobs", out var list) || list.ValueKind != JsonValueKind.Array) return (jobs, problems);
        var index = 0;
        foreach (var j in list.EnumerateArray())
        {
            index++;
            if (Number(j, "job_id") is not { } id)
            {
                problems.Add($"jobs[{index - 1}]: no job_id, skipped");
                continue;
            }
            var raw = id.ToString(CultureInfo.InvariantCulture);
            long? arrayJob = null;
            long? task = null;
            if (j.TryGetProperty("array", out var array))
            {
                arrayJob = Number(array, "job_id") is > 0 and { } a ? a : null;
                task = Number(array, "task_id");
            }
            var time = j.TryGetProperty("time", out var t) ? t : default;
            jobs.Add(new AccountingJob
            {
                JobIdRaw = raw,
                JobId = arrayJob is { } aj && task is { } tk ? $"{aj}_{tk}" : raw,
                ArrayJobId = arrayJob?.ToString(CultureInfo.InvariantCulture),
                ArrayTaskId = arrayJob is null ? null : (int?)task,
                Name = Text(j, "name"),
                User = Text(j, "user"),
                Group = Text(j, "group"),
                Account = Text(j, "account"),
                Partition = Text(j, "partition"),
                Nodes = Text(j, "nodes") is { } n && n != "None assigned" && n.Length > 0 ? n : null,
                Gpus = Gpus(j),
                State = State(j),
                ExitCode = ExitCode(j),
                Submit = Time(time, "submission"),
                Start = Time(time, "start"),
                End = Time(time, "end"),
                ElapsedS = time.ValueKind == JsonValueKind.Object ? Number(time, "elapsed") : null,
                Comment = j.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.Object ? Text(c, "job") : Text(j, "comment"),
                // time.limit is in minutes (unset or infinite: none); time.total is the steps' user + system CPU time.
                TimelimitS = time.ValueKind == JsonValueKind.Object && Number(time, "limit") is > 0 and <= MaxMinutes and { } limit ? limit * 60 : null,
                TotalCpuS = CpuSeconds(time),
                AllocCpus = Tres(j, "allocated", "cpu") is >= 0 and <= int.MaxValue and { } cpus ? (int)cpus : null,
                ReqMemBytes = Tres(j, "requested", "mem") is >= 0 and <= MaxMegabytes and { } mb ? mb << 20 : null,
                WorkDir = Text(j, "working_directory") is { Length: > 0 } w ? w : null,
                SubmitLine = Text(j, "submit_line") is { Length: > 0 } l ? l : null,
                Interactive = Interactive(j),
            });
        }
        return (jobs, problems);
    }

    private const long MaxMinutes = 36_500L * 1440;
    private const long MaxMegabytes = 1L << 40;

    private static double? CpuSeconds(JsonElement time)
    {
        if (time.ValueKind != JsonValueKind.Object || !time.TryGetProperty("total", out var total) || total.ValueKind != JsonValueKind.Object) return null;
        if (Number(total, "seconds") is not { } seconds || seconds is < 0 or > 36_500L * 86_400 * 1_000_000) return null;
        var micro = Number(total, "microseconds") is >= 0 and < 1_000_000 and { } us ? us : 0;
        return seconds + micro / 1e6;
    }

    // A count from tres.allocated or tres.requested ([{"type": "cpu", "count": 16}, {"type": "mem", "count": 65536}]: mem in MB).
    private static long? Tres(JsonElement job, string list, string type)
    {
        if (!job.TryGetProperty("tres", out var tres) || tres.ValueKind != JsonValueKind.Object || !tres.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) return null;
        foreach (var t in items.EnumerateArray())
        {
            if (Text(t, "type") == type) return Number(t, "count");
        }
        return null;
    }

    // As sacct's: a batch step makes a batch job; other steps an interactive one; no steps say nothing.
    private static bool? Interactive(JsonElement job)
    {
        if (!job.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() == 0) return null;
        foreach (var s in steps.EnumerateArray())
        {
            var step = s.TryGetProperty("step", out var inner) ? inner : s;
            if (Text(step, "name") == "batch") return false;
        }
        return true;
    }

    private static string? State(JsonElement job)
    {
        if (!job.TryGetProperty("state", out var state)) return null;
        var current = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("current", out var c) ? c : state;
        var text = current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Array => current.EnumerateArray().Select(e => e.GetString()).FirstOrDefault(s => s is not null),
            _ => null,
        };
        return text is not null && text.StartsWith("CANCELLED", StringComparison.Ordinal) ? "CANCELLED" : text;
    }

    // "return_code:signal" as sacct prints ExitCode.
    private static string? ExitCode(JsonElement job)
    {
        if (!job.TryGetProperty("exit_code", out var exit) || exit.ValueKind != JsonValueKind.Object) return null;
        var code = Number(exit, "return_code") ?? 0;
        var signal = exit.TryGetProperty("signal", out var s) && s.ValueKind == JsonValueKind.Object ? Number(s, "id") ?? 0 : 0;
        return $"{code}:{signal}";
    }

    private static int? Gpus(JsonElement job)
    {
        if (!job.TryGetProperty("tres", out var tres) || !tres.TryGetProperty("allocated", out var allocated) || allocated.ValueKind != JsonValueKind.Array) return null;
        // A CPU-only job lists no GPU: 0, not unknown.
        int? untyped = null;
        var typed = 0;
        foreach (var t in allocated.EnumerateArray())
        {
            if (Text(t, "type") != "gres") continue;
            var name = Text(t, "name") ?? "";
            var count = (int)(Number(t, "count") ?? 0);
            if (name == "gpu") untyped = count;
            else if (name.StartsWith("gpu:", StringComparison.Ordinal)) typed += count;
        }
        return untyped ?? typed;
    }

    private static DateTimeOffset? Time(JsonElement time, string field) =>
        time.ValueKind == JsonValueKind.Object && Number(time, field) is > 0 and { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>A number, whether plain (v0.0.38) or <c>{"set": true, "number": n}</c> (v0.0.40+); null when unset.</summary>
    private static long? Number(JsonElement parent, string field)
    {
        if (!parent.TryGetProperty(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return value.GetInt64();
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (value.TryGetProperty("set", out var set) && set.ValueKind == JsonValueKind.False) return null;
            if (value.TryGetProperty("infinite", out var inf) && inf.ValueKind == JsonValueKind.True) return null;
            if (value.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.Number) return n.GetInt64();
        }
        return null;
    }

    private static string? Text(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
