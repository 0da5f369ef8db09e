using System.Text.Json;
using Coca.Core.Jobs;

namespace Coca.Core.Ingest;

/// <summary>
/// The ingest wire format, checked on the parsed JSON before it becomes an <see cref="IngestBatch"/>: every field a
/// batch needs is present, of its type, in range, so that a bad batch gets one reason (the first problem, with its
/// path, e.g. <c>jobs[3].energy_uj: 4 integers ≥ 0 expected</c>) and nothing is guessed. Fields not listed here are
/// ignored, so that newer agents can add some. The README's "Ingest API" section documents the same rules.
/// </summary>
public static class IngestSchema
{
    /// <summary>Largest energy a component of one job on one node may carry: 10^17 µJ (100 GJ, 27.8 MWh).</summary>
    public const long MaxEnergyUj = 100_000_000_000_000_000;

    /// <summary>Longest node, user or device name.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Most jobs or series points in one batch.</summary>
    public const int MaxItems = 100_000;

    /// <summary>Most GPUs one job may hold on one node.</summary>
    public const int MaxGpus = 1024;

    public static readonly string[] ProvenanceWords = ["measured", "derived", "estimated", "none"];

    /// <summary>Null when <paramref name="root"/> is a valid batch; else the first problem found.</summary>
    public static string? Problem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return "the batch must be a JSON object";
        return Name(root, "node", "node", required: true)
            ?? Integer(root, "sequence", "sequence", 0, long.MaxValue, required: true)
            ?? Incarnation(root)
            ?? Items(root, "jobs", required: true, Job)
            ?? Items(root, "series", required: false, Point)
            ?? Items(root, "metrics", required: false, Metric)
            ?? NodeMeter(root);
    }

    // Issue 16: the node meter's cumulative account (optional: agents without a meter, or before it, send none).
    private static string? NodeMeter(JsonElement root)
    {
        if (!root.TryGetProperty("node_meter", out var m) || m.ValueKind == JsonValueKind.Null) return null;
        if (m.ValueKind != JsonValueKind.Object) return "node_meter: an object expected (device, meter_uj, components_uj, as_of)";
        return Name(m, "device", "node_meter.device", required: true)
            ?? Integer(m, "meter_uj", "node_meter.meter_uj", 0, long.MaxValue / 4, required: true)
            ?? Integer(m, "components_uj", "node_meter.components_uj", 0, long.MaxValue / 4, required: true)
            ?? Time(m, "as_of", "node_meter.as_of", required: true);
    }

    // Issue 16: how the job's other was charged (optional).
    private static string? OtherCharge(JsonElement job, string at)
    {
        if (!job.TryGetProperty("other_charge", out var o) || o.ValueKind == JsonValueKind.Null) return null;
        if (o.ValueKind != JsonValueKind.Object) return $"{at}.other_charge: an object expected (rule, source, mape_pct)";
        if (!o.TryGetProperty("rule", out var rule) || rule.ValueKind != JsonValueKind.String || !Attribution.OtherRuleExtensions.TryParse(rule.GetString(), out _))
        {
            return $"{at}.other_charge.rule: proportional, equal or cores expected";
        }
        return Name(o, "source", at + ".other_charge.source", required: true)
            ?? Number(o, "mape_pct", at + ".other_charge.mape_pct", 0, 1000);
    }

    // The agent run that numbered the batch: optional (agents before it send none), else 32 lowercase hex digits.
    private static string? Incarnation(JsonElement root) =>
        !root.TryGetProperty("incarnation", out var i) || i.ValueKind == JsonValueKind.Null ? null
        : i.ValueKind == JsonValueKind.String && IngestBatch.IsValidIncarnation(i.GetString()) ? null
        : "incarnation: 32 lowercase hex digits expected (the agent run that numbered the batch)";

    private static string? Job(JsonElement job, string at) =>
        JobIdOf(job, at)
        ?? Name(job, "node", at + ".node", required: true)
        ?? Name(job, "user", at + ".user", required: false)
        ?? Time(job, "as_of", at + ".as_of", required: true)
        ?? Time(job, "start", at + ".start", required: false)
        ?? Time(job, "end", at + ".end", required: false)
        ?? Time(job, "last_gpu_activity", at + ".last_gpu_activity", required: false)
        ?? Energies(job, at)
        ?? Provenances(job, at)
        ?? Number(job, "coverage", at + ".coverage", 0, 1)
        ?? Number(job, "gpu_seconds", at + ".gpu_seconds", 0, double.MaxValue)
        ?? Number(job, "gpu_busy_seconds", at + ".gpu_busy_seconds", 0, double.MaxValue)
        ?? Number(job, "idle_gpu_seconds", at + ".idle_gpu_seconds", 0, double.MaxValue)
        ?? Integer(job, "energy_after_last_gpu_activity_uj", at + ".energy_after_last_gpu_activity_uj", 0, MaxEnergyUj, required: false)
        ?? Integer(job, "unused_gpus", at + ".unused_gpus", 0, MaxGpus, required: false)
        ?? Integer(job, "unused_gpu_uj", at + ".unused_gpu_uj", 0, MaxEnergyUj, required: false)
        ?? UnusedWithinGpuEnergy(job, at)
        ?? Framework(job, at)
        ?? OtherCharge(job, at)
        ?? (job.TryGetProperty("interactive", out var i) && i.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null) ? $"{at}.interactive: true, false or null expected" : null)
        ?? (job.TryGetProperty("final", out var f) && f.ValueKind is not (JsonValueKind.True or JsonValueKind.False) ? $"{at}.final: true or false expected" : null);

    // Issue 13's figures (optional: agents before them send none). Unused GPUs' energy is part of the job's GPU energy.
    private static string? UnusedWithinGpuEnergy(JsonElement job, string at) =>
        job.TryGetProperty("unused_gpu_uj", out var u) && u.ValueKind == JsonValueKind.Number && u.TryGetInt64(out var unused) && job.GetProperty("energy_uj")[2].GetInt64() < unused
            ? $"{at}.unused_gpu_uj: {unused} is more than the job's GPU energy (energy_uj[2])" : null;

    private static string? Framework(JsonElement job, string at)
    {
        if (!job.TryGetProperty("framework", out var f) || f.ValueKind == JsonValueKind.Null) return null;
        return f.ValueKind == JsonValueKind.String && Frameworks.IsValidName(f.GetString())
            ? null : $"{at}.framework: null or 1 to {Frameworks.MaxNameLength} lowercase letters, digits, _ or - (pytorch, tensorflow, jax, cuda)";
    }

    private static string? Point(JsonElement point, string at) =>
        JobIdOf(point, at)
        ?? Name(point, "node", at + ".node", required: true)
        ?? Name(point, "device", at + ".device", required: true)
        ?? Time(point, "time", at + ".time", required: true)
        ?? Integer(point, "energy_uj", at + ".energy_uj", 0, MaxEnergyUj, required: true)
        ?? Number(point, "power_w", at + ".power_w", 0, 1e7)
        ?? Number(point, "utilisation", at + ".utilisation", 0, 1);

    // A job's metric (agents before them send none): a name as coca metric takes it, a finite value, a step ≥ 0.
    private static string? Metric(JsonElement metric, string at) =>
        JobIdOf(metric, at)
        ?? (metric.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && Metrics.MetricPoint.IsValidName(n.GetString())
            ? null : $"{at}.name: required, 1 to {Metrics.MetricPoint.MaxNameLength} letters, digits, _ . : / -")
        ?? (metric.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? null : $"{at}.value: required, a finite number")
        ?? Integer(metric, "step", at + ".step", 0, long.MaxValue, required: true)
        ?? Time(metric, "time", at + ".time", required: false);

    private static string? Items(JsonElement parent, string field, bool required, Func<JsonElement, string, string?> check)
    {
        if (!parent.TryGetProperty(field, out var list) || list.ValueKind == JsonValueKind.Null) return required ? $"{field}: required (an array, may be empty)" : null;
        if (list.ValueKind != JsonValueKind.Array) return $"{field}: an array expected";
        if (list.GetArrayLength() > MaxItems) return $"{field}: at most {MaxItems} items per batch";
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) return $"{at}: an object expected";
            if (check(item, at) is { } problem) return problem;
        }
        return null;
    }

    private static string? JobIdOf(JsonElement item, string at)
    {
        if (!item.TryGetProperty("job_id_raw", out var id) || id.ValueKind != JsonValueKind.String) return $"{at}.job_id_raw: required, a string";
        return JobId.IsValid(id.GetString()) ? null : $"{at}.job_id_raw: {JobId.Describe(id.GetString())}";
    }

    private static string? Name(JsonElement parent, string field, string at, bool required)
    {
        if (!parent.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return required ? $"{at}: required, a string" : null;
        if (v.ValueKind != JsonValueKind.String) return $"{at}: a string expected";
        var text = v.GetString()!;
        if (text.Length == 0 || text.Length > MaxNameLength) return $"{at}: 1 to {MaxNameLength} characters";
        return text.Any(char.IsControl) ? $"{at}: control characters (NUL, newline…) are not allowed" : null;
    }

    private static string? Time(JsonElement parent, string field, string at, bool required)
    {
        if (!parent.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return required ? $"{at}: required, an ISO 8601 time" : null;
        return v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out _) ? null : $"{at}: an ISO 8601 time expected (2026-03-01T08:00:00Z)";
    }

    private static string? Integer(JsonElement parent, string field, string at, long min, long max, bool required)
    {
        if (!parent.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return required ? $"{at}: required, an integer" : null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) return $"{at}: an integer from {min} to {max} expected";
        return n < min || n > max ? $"{at}: {n} is out of range ({min} to {max})" : null;
    }

    private static string? Number(JsonElement parent, string field, string at, double min, double max)
    {
        if (!parent.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d)) return $"{at}: a finite number expected";
        return d < min || d > max ? $"{at}: {d} is out of range ({min} to {max})" : null;
    }

    private static string? Energies(JsonElement job, string at)
    {
        var expected = $"{at}.energy_uj: required, 4 integers from 0 to {MaxEnergyUj} µJ ([cpu, dram, gpu, other])";
        if (!job.TryGetProperty("energy_uj", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != 4) return expected;
        foreach (var e in list.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var n) || n < 0 || n > MaxEnergyUj) return expected;
        }
        return null;
    }

    private static string? Provenances(JsonElement job, string at)
    {
        var expected = $"{at}.provenance: required, 4 of {string.Join(", ", ProvenanceWords)} ([cpu, dram, gpu, other])";
        if (!job.TryGetProperty("provenance", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != 4) return expected;
        foreach (var p in list.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.String || !ProvenanceWords.Contains(p.GetString())) return expected;
        }
        return null;
    }
}
