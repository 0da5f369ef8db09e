using System.Text.Encodings.Web;
using System.Text.Json;

namespace Coca.Core.Json;

/// <summary>The JSON every Coca4ai output prints: snake_case, indented, relaxed escaping (read by people and scripts, never embedded in HTML).</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Relaxed() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
