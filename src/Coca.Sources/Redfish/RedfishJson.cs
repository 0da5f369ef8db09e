using System.Globalization;
using System.Text.Json;

namespace Coca.Sources.Redfish;

/// <summary>A chassis' links to the resources that can carry the node's power; null where the chassis has none.</summary>
public sealed record ChassisLinks(string Id, string? EnvironmentMetrics, string? Sensors, string? Power);

/// <summary>A Redfish <c>Sensor</c>: its id, what it reads, the reading and where it is (Chassis, Total).</summary>
public sealed record RedfishSensor(string Path, string? ReadingType, double? Reading, DateTimeOffset? ReadingTime, string? PhysicalContext, string? ElectricalContext);

/// <summary>What a legacy <c>Power</c> resource says of the chassis' consumption.</summary>
public sealed record LegacyPower(double? ConsumedWatts, double? AverageWatts, double? IntervalMinutes);

/// <summary>
/// Pure parsers of the Redfish resources a node meter reads, from their JSON text. A figure that is absent, null, not a
/// number or negative is null (unknown), never 0. Malformed JSON is a <see cref="FormatException"/> naming the resource.
/// </summary>
public static class RedfishJson
{
    /// <summary>The <c>@odata.id</c> of each member of a collection (<c>/redfish/v1/Chassis</c>, a sensor collection).</summary>
    public static IReadOnlyList<string> Members(string json, string resource)
    {
        using var doc = Parse(json, resource);
        if (!doc.RootElement.TryGetProperty("Members", out var members) || members.ValueKind != JsonValueKind.Array) return [];
        var ids = new List<string>();
        foreach (var m in members.EnumerateArray())
        {
            if (OdataId(m) is { } id) ids.Add(id);
        }
        return ids;
    }

    public static ChassisLinks Chassis(string json, string resource)
    {
        using var doc = Parse(json, resource);
        var root = doc.RootElement;
        var id = root.TryGetProperty("Id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : resource.TrimEnd('/').Split('/')[^1];
        return new ChassisLinks(id, Link(root, "EnvironmentMetrics"), Link(root, "Sensors"), Link(root, "Power"));
    }

    /// <summary><c>EnvironmentMetrics</c>: <c>PowerWatts.Reading</c> (W) and <c>EnergykWh.Reading</c> (kWh, a counter).</summary>
    public static (double? Watts, double? EnergyKwh) EnvironmentMetrics(string json, string resource)
    {
        using var doc = Parse(json, resource);
        var root = doc.RootElement;
        return (Reading(root, "PowerWatts"), Reading(root, "EnergykWh"));
    }

    public static RedfishSensor Sensor(string json, string resource)
    {
        using var doc = Parse(json, resource);
        var root = doc.RootElement;
        DateTimeOffset? time = root.TryGetProperty("ReadingTime", out var t) && t.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return new RedfishSensor(OdataId(root) ?? resource, Text(root, "ReadingType"), Number(root, "Reading"), time, Text(root, "PhysicalContext"), Text(root, "ElectricalContext"));
    }

    /// <summary>
    /// The legacy <c>Power</c> resource: the first <c>PowerControl</c> entry that reports consumption (one entry is the
    /// chassis; adding entries would count a sub-domain twice), its <c>PowerConsumedWatts</c> and its
    /// <c>PowerMetrics.AverageConsumedWatts</c> over <c>IntervalInMin</c>.
    /// </summary>
    public static LegacyPower Power(string json, string resource)
    {
        using var doc = Parse(json, resource);
        if (!doc.RootElement.TryGetProperty("PowerControl", out var controls) || controls.ValueKind != JsonValueKind.Array) return new LegacyPower(null, null, null);
        foreach (var c in controls.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object) continue;
            var consumed = Number(c, "PowerConsumedWatts");
            double? average = null, interval = null;
            if (c.TryGetProperty("PowerMetrics", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                average = Number(m, "AverageConsumedWatts");
                interval = Number(m, "IntervalInMin");
            }
            if (consumed is not null || average is not null) return new LegacyPower(consumed, average, interval);
        }
        return new LegacyPower(null, null, null);
    }

    private static JsonDocument Parse(string json, string resource)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
            throw new FormatException($"{resource} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{resource} is not valid JSON (line {e.LineNumber + 1})");
        }
    }

    private static string? Link(JsonElement root, string name) =>
        root.TryGetProperty(name, out var link) && link.ValueKind == JsonValueKind.Object ? OdataId(link) : null;

    private static string? OdataId(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("@odata.id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s ? s : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // { "Reading": 374, ... } under name.
    private static double? Reading(JsonElement root, string name) =>
        root.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object ? Number(o, "Reading") : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && d >= 0 ? d : null;
}
