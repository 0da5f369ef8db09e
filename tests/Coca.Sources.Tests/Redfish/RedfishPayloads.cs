using System.Globalization;

namespace Coca.Sources.Tests.Redfish;

/// <summary>Redfish resources built in code, shaped as DSP0268 writes them, for the cases the recorded trees lack.</summary>
internal static class RedfishPayloads
{
    public static string Collection(params string[] members) =>
        $$"""{"@odata.id":"/redfish/v1/Chassis","Members":[{{string.Join(',', members.Select(m => $$"""{"@odata.id":"{{m}}"}"""))}}],"Members@odata.count":{{members.Length}}}""";

    public static string Chassis(string id, bool environment = false, bool sensors = false, bool power = false)
    {
        var links = new List<string>();
        if (environment) links.Add($$""" "EnvironmentMetrics":{"@odata.id":"/redfish/v1/Chassis/{{id}}/EnvironmentMetrics"}""");
        if (sensors) links.Add($$""" "Sensors":{"@odata.id":"/redfish/v1/Chassis/{{id}}/Sensors"}""");
        if (power) links.Add($$""" "Power":{"@odata.id":"/redfish/v1/Chassis/{{id}}/Power"}""");
        return $$"""{"@odata.id":"/redfish/v1/Chassis/{{id}}","Id":"{{id}}","ChassisType":"RackMount"{{(links.Count > 0 ? "," : "")}}{{string.Join(',', links)}}}""";
    }

    public static string EnvironmentMetrics(double? watts, double? kwh)
    {
        var parts = new List<string> { "\"@odata.type\":\"#EnvironmentMetrics.v1_3_0.EnvironmentMetrics\"" };
        if (watts is { } w) parts.Add($$""" "PowerWatts":{"Reading":{{N(w)}},"DataSourceUri":"/redfish/v1/Chassis/1/Sensors/TotalPower"}""");
        if (kwh is { } k) parts.Add($$""" "EnergykWh":{"Reading":{{N(k)}},"DataSourceUri":"/redfish/v1/Chassis/1/Sensors/TotalEnergy"}""");
        return "{" + string.Join(',', parts) + "}";
    }

    public static string Sensor(string path, string type, double reading, string context = "Chassis", string? time = null) =>
        $$"""{"@odata.id":"{{path}}","Id":"{{path.Split('/')[^1]}}","ReadingType":"{{type}}","Reading":{{N(reading)}},"PhysicalContext":"{{context}}"{{(time is null ? "" : $",\"ReadingTime\":\"{time}\"")}}}""";

    public static string LegacyPower(double? consumed, double? average = null, double? intervalMin = null)
    {
        var metrics = "{\"AverageConsumedWatts\":" + Or(average) + ",\"IntervalInMin\":" + Or(intervalMin) + "}";
        return "{\"PowerControl\":[{\"MemberId\":\"0\",\"PowerConsumedWatts\":" + Or(consumed) + ",\"PowerMetrics\":" + metrics + "}]}";
    }

    private static string Or(double? v) => v is { } x ? N(x) : "null";

    private static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
}
