using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coca.Agent.State;

/// <summary>
/// <c>&lt;state-dir&gt;/agent-state.json</c>, replaced atomically (write a temporary file, flush it to disk,
/// rename over the old one): a SIGKILL at any moment leaves either the previous state or the new one.
/// </summary>
public sealed class StateFile(string stateDirectory)
{
    private readonly StateWriter _writer = new();

    public string Path { get; } = System.IO.Path.Combine(stateDirectory, "agent-state.json");

    private string Temporary { get; } = System.IO.Path.Combine(stateDirectory, "agent-state.json.tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public AgentState? Load(out string? problem)
    {
        problem = null;
        if (!File.Exists(Path)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), AgentJsonContext.Default.AgentState);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            problem = $"{Path} is unreadable ({e.Message}); starting from zero and keeping it as {Path}.bad";
            File.Copy(Path, Path + ".bad", overwrite: true);
            return null;
        }
    }

    public void Save(AgentState state)
    {
        var json = _writer.Write(state);
        using (var file = File.OpenHandle(Temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, json, 0);
            RandomAccess.FlushToDisk(file);
        }
        File.Move(Temporary, Path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AgentState))]
[JsonSerializable(typeof(Reports.JobReport))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
