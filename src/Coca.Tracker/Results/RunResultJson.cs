using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coca.Tracker.Results;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class RunResultJsonContext : JsonSerializerContext;

public static class RunResultJson
{
    // Relaxed escaping: JSON read by people and scripts, never embedded in HTML.
    private static readonly RunResultJsonContext Context = new(Coca.Core.Json.JsonDefaults.Relaxed());

    public static string Serialize(RunResult result) => JsonSerializer.Serialize(result, Context.RunResult);

    public static RunResult? Deserialize(string json) => JsonSerializer.Deserialize(json, Context.RunResult);
}
