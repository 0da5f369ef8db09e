using System.Text.Json.Nodes;

namespace Coca.Server.Tests.Corpus;

/// <summary>
/// Malformed ingest bodies, built in code from one good batch: each is a name and a body (or a mutation of the good
/// batch's JSON) that the server must answer with 400 and its reason.
/// </summary>
internal static class IngestCorpus
{
    public const string GoodBatch = """
        {"node":"n1","sequence":1,"jobs":[{"job_id_raw":"1","node":"n1","user":"alice","start":"2026-03-01T08:00:00Z","end":null,
          "energy_uj":[1,2,3,4],"provenance":["measured","estimated","measured","none"],"coverage":1,"gpu_seconds":10,"gpu_busy_seconds":5,
          "idle_gpu_seconds":0,"last_gpu_activity":null,"energy_after_last_gpu_activity_uj":0,"final":false,"as_of":"2026-03-01T08:00:00Z"}],
         "series":[{"job_id_raw":"1","node":"n1","device":"gpu:0","time":"2026-03-01T08:00:00Z","energy_uj":3,"power_w":300,"utilisation":0.5}]}
        """;

    private static readonly string Huge = new('1', 1 << 20);

    /// <summary>Whole bodies that are not a batch at all.</summary>
    public static IEnumerable<(string Name, string Body)> Bodies() =>
    [
        ("empty body", ""),
        ("not json", "{ not json"),
        ("truncated", GoodBatch[..40]),
        ("json null", "null"),
        ("json array", "[]"),
        ("json number", "42"),
        ("json string", "\"batch\""),
        ("empty object", "{}"),
        ("raw NUL byte", GoodBatch.Replace("\"alice\"", "\"al\0ice\"", StringComparison.Ordinal)),
        ("nested 100 deep", new string('[', 100) + new string(']', 100)),
        ("trailing garbage", GoodBatch + "}"),
        ("1e400 sequence literal", GoodBatch.Replace("\"sequence\":1", "\"sequence\":1e400", StringComparison.Ordinal)),
        ("NaN literal", GoodBatch.Replace("\"coverage\":1", "\"coverage\":NaN", StringComparison.Ordinal)),
        ("Infinity literal", GoodBatch.Replace("\"coverage\":1", "\"coverage\":Infinity", StringComparison.Ordinal)),
    ];

    /// <summary>The good batch with one field changed (a JSON path, the new value; null removes the field).</summary>
    public static IEnumerable<(string Name, string Path, JsonNode? Value, bool Remove)> Mutations() =>
    [
        ("node null", "node", null, false),
        ("node missing", "node", null, true),
        ("node a number", "node", 42, false),
        ("node empty", "node", "", false),
        ("node with NUL", "node", "n1\0", false),
        ("node 1 MB", "node", Huge, false),
        ("sequence missing", "sequence", null, true),
        ("sequence null", "sequence", null, false),
        ("sequence a string", "sequence", "1", false),
        ("sequence fractional", "sequence", 1.5, false),
        ("sequence negative", "sequence", -1, false),
        ("sequence over 2^63", "sequence", JsonNode.Parse("99999999999999999999"), false),
        ("jobs missing", "jobs", null, true),
        ("jobs null", "jobs", null, false),
        ("jobs an object", "jobs", new JsonObject(), false),
        ("jobs [null]", "jobs", new JsonArray((JsonNode?)null), false),
        ("jobs [42]", "jobs", new JsonArray(42), false),
        ("job id missing", "jobs.0.job_id_raw", null, true),
        ("job id null", "jobs.0.job_id_raw", null, false),
        ("job id empty", "jobs.0.job_id_raw", "", false),
        ("job id a number", "jobs.0.job_id_raw", 1, false),
        ("job id path traversal", "jobs.0.job_id_raw", "../escaped", false),
        ("job id 1 MB", "jobs.0.job_id_raw", Huge, false),
        ("job id with NUL", "jobs.0.job_id_raw", "1\0", false),
        ("job id a step", "jobs.0.job_id_raw", "1.batch", false),
        ("job id with space", "jobs.0.job_id_raw", "1 ", false),
        ("job node null", "jobs.0.node", null, false),
        ("user a number", "jobs.0.user", 7, false),
        ("user with NUL", "jobs.0.user", "ali\0ce", false),
        ("user 1 MB", "jobs.0.user", Huge, false),
        ("as_of missing", "jobs.0.as_of", null, true),
        ("as_of not a time", "jobs.0.as_of", "yesterday", false),
        ("start not a time", "jobs.0.start", "soon", false),
        ("energy null", "jobs.0.energy_uj", null, false),
        ("energy missing", "jobs.0.energy_uj", null, true),
        ("energy empty", "jobs.0.energy_uj", new JsonArray(), false),
        ("energy 3 items", "jobs.0.energy_uj", new JsonArray(1, 2, 3), false),
        ("energy 5 items", "jobs.0.energy_uj", new JsonArray(1, 2, 3, 4, 5), false),
        ("energy negative", "jobs.0.energy_uj", new JsonArray(-1, 0, 0, 0), false),
        ("energy over 2^63", "jobs.0.energy_uj", JsonNode.Parse("[9223372036854775808,0,0,0]"), false),
        ("energy 1e30", "jobs.0.energy_uj", JsonNode.Parse("[1e30,0,0,0]"), false),
        ("energy over the cap", "jobs.0.energy_uj", new JsonArray(1_000_000_000_000_000_000, 0, 0, 0), false),
        ("energy fractional", "jobs.0.energy_uj", new JsonArray(1.5, 0, 0, 0), false),
        ("energy a string", "jobs.0.energy_uj", new JsonArray("1", 0, 0, 0), false),
        ("energy with null", "jobs.0.energy_uj", new JsonArray(null, 0, 0, 0), false),
        ("provenance null", "jobs.0.provenance", null, false),
        ("provenance short", "jobs.0.provenance", new JsonArray("measured"), false),
        ("provenance unknown word", "jobs.0.provenance", new JsonArray("bogus", "none", "none", "none"), false),
        ("provenance upper case", "jobs.0.provenance", new JsonArray("MEASURED", "none", "none", "none"), false),
        ("provenance numbers", "jobs.0.provenance", new JsonArray(1, 2, 3, 4), false),
        ("coverage negative", "jobs.0.coverage", -0.1, false),
        ("coverage above 1", "jobs.0.coverage", 2, false),
        ("coverage a string", "jobs.0.coverage", "full", false),
        ("gpu seconds negative", "jobs.0.gpu_seconds", -1, false),
        ("final a string", "jobs.0.final", "yes", false),
        ("energy after activity negative", "jobs.0.energy_after_last_gpu_activity_uj", -5, false),
        ("unused gpus negative", "jobs.0.unused_gpus", -1, false),
        ("unused gpus fractional", "jobs.0.unused_gpus", 1.5, false),
        ("unused gpus a string", "jobs.0.unused_gpus", "1", false),
        ("unused gpus over the cap", "jobs.0.unused_gpus", 100_000, false),
        ("unused energy negative", "jobs.0.unused_gpu_uj", -1, false),
        ("unused energy above the gpu energy", "jobs.0.unused_gpu_uj", 4, false),
        ("unused energy a string", "jobs.0.unused_gpu_uj", "0", false),
        ("framework upper case", "jobs.0.framework", "PyTorch", false),
        ("framework with space", "jobs.0.framework", "py torch", false),
        ("framework with NUL", "jobs.0.framework", "torch\0", false),
        ("framework a number", "jobs.0.framework", 1, false),
        ("framework empty", "jobs.0.framework", "", false),
        ("framework 1 MB", "jobs.0.framework", Huge, false),
        ("interactive a string", "jobs.0.interactive", "yes", false),
        ("interactive a number", "jobs.0.interactive", 1, false),
        ("series an object", "series", new JsonObject(), false),
        ("series [null]", "series", new JsonArray((JsonNode?)null), false),
        ("point energy negative", "series.0.energy_uj", -1, false),
        ("point device null", "series.0.device", null, false),
        ("point device with NUL", "series.0.device", "gpu\0", false),
        ("point power negative", "series.0.power_w", -1, false),
        ("point utilisation 5", "series.0.utilisation", 5, false),
        ("point time not a time", "series.0.time", "never", false),
        ("point job id traversal", "series.0.job_id_raw", "../x", false),
    ];

    public static string Mutate(string path, JsonNode? value, bool remove)
    {
        var root = JsonNode.Parse(GoodBatch)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var p in parts[..^1]) parent = int.TryParse(p, out var i) ? parent[i]! : parent[p]!;
        if (remove) parent.AsObject().Remove(parts[^1]);
        else parent[parts[^1]] = value?.DeepClone();
        return root.ToJsonString();
    }
}
