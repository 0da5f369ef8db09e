using System.Text.Json;
using System.Text.Json.Serialization;
using Coca.Commands.Node;

namespace Coca.Commands.Node.Output;

[JsonSerializable(typeof(CarbonReport))]
[JsonSerializable(typeof(SensorsReport))]
[JsonSerializable(typeof(AttributionReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>snake_case, indented, relaxed escaping: JSON for people and scripts, never embedded in HTML.</summary>
    public static CliJsonContext Relaxed { get; } = new(Coca.Core.Json.JsonDefaults.Relaxed());
}
