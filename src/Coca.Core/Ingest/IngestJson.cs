using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coca.Core.Ingest;

/// <summary>The wire format of <see cref="IngestBatch"/>: snake_case JSON, shared by agent and server.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IngestBatch))]
public sealed partial class IngestJsonContext : JsonSerializerContext;
