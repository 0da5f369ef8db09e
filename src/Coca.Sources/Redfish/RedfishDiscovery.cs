using Coca.Sources.NodeMeter;

namespace Coca.Sources.Redfish;

/// <summary>Which resource carries the node's power, found once per start.</summary>
public enum RedfishPowerKind
{
    /// <summary><c>Chassis/{id}/EnvironmentMetrics</c>: <c>EnergykWh</c> (a counter) and <c>PowerWatts</c>.</summary>
    EnvironmentMetrics,
    /// <summary><c>Chassis/{id}/Sensors/{sensor}</c> of type EnergykWh or Power.</summary>
    Sensor,
    /// <summary>The legacy <c>Chassis/{id}/Power</c> <c>PowerControl</c>.</summary>
    LegacyPower,
}

/// <summary>Where a node's power is read: the chassis, the resource and its kind.</summary>
public sealed record RedfishPowerSource(string Chassis, RedfishPowerKind Kind, string Path);

/// <summary>
/// Finds the chassis and the resource that carries its power, instead of assuming a path: the chassis collection's
/// members, the whole system's chassis first (Dell's <c>System.Embedded.1</c>, HPE's <c>1</c>), then the others; in
/// each, EnvironmentMetrics, then a chassis-level Sensor (EnergykWh before Power), then the legacy Power resource —
/// the first that gives a figure.
/// </summary>
public static class RedfishDiscovery
{
    private static readonly string[] WholeSystem = ["System.Embedded.1", "1", "Self"];

    public static async Task<RedfishPowerSource> FindAsync(Func<string, CancellationToken, Task<string>> get, CancellationToken cancel)
    {
        var members = RedfishJson.Members(await get("/redfish/v1/Chassis", cancel).ConfigureAwait(false), "/redfish/v1/Chassis");
        if (members.Count == 0) throw new MeterProblemException("the BMC lists no chassis under /redfish/v1/Chassis");
        var ordered = members.OrderBy(m => Array.IndexOf(WholeSystem, m.TrimEnd('/').Split('/')[^1]) is var k && k >= 0 ? k : WholeSystem.Length).ToList();
        var tried = new List<string>();
        foreach (var path in ordered)
        {
            ChassisLinks links;
            try
            {
                if (await TryGet(get, path, cancel).ConfigureAwait(false) is not { } chassis)
                {
                    tried.Add($"{path}: not found");
                    continue;
                }
                links = RedfishJson.Chassis(chassis, path);
            }
            catch (FormatException e)
            {
                tried.Add(e.Message);
                continue;
            }
            if (await TryEnvironmentMetrics(get, links, cancel).ConfigureAwait(false) is { } env) return env;
            if (await TrySensors(get, links, cancel).ConfigureAwait(false) is { } sensor) return sensor;
            if (await TryLegacy(get, links, cancel).ConfigureAwait(false) is { } legacy) return legacy;
            tried.Add($"{path}: no power reading");
        }
        throw new MeterProblemException($"no chassis gives the node's power ({string.Join("; ", tried)})");
    }

    private static async Task<RedfishPowerSource?> TryEnvironmentMetrics(Func<string, CancellationToken, Task<string>> get, ChassisLinks links, CancellationToken cancel)
    {
        if (links.EnvironmentMetrics is not { } path) return null;
        var (watts, kwh) = RedfishJson.EnvironmentMetrics(await TryGet(get, path, cancel).ConfigureAwait(false) ?? "{}", path);
        return watts is not null || kwh is not null ? new RedfishPowerSource(links.Id, RedfishPowerKind.EnvironmentMetrics, path) : null;
    }

    // Only sensors of the whole chassis (PhysicalContext Chassis, or ElectricalContext Total): a power supply's or a
    // CPU's sensor is a part of the node, not its total.
    private static async Task<RedfishPowerSource?> TrySensors(Func<string, CancellationToken, Task<string>> get, ChassisLinks links, CancellationToken cancel)
    {
        if (links.Sensors is not { } path || await TryGet(get, path, cancel).ConfigureAwait(false) is not { } collection) return null;
        RedfishSensor? power = null;
        foreach (var member in RedfishJson.Members(collection, path))
        {
            if (await TryGet(get, member, cancel).ConfigureAwait(false) is not { } json) continue;
            RedfishSensor sensor;
            try
            {
                sensor = RedfishJson.Sensor(json, member);
            }
            catch (FormatException)
            {
                continue;
            }
            var whole = sensor.PhysicalContext == "Chassis" || sensor.ElectricalContext == "Total";
            if (!whole || sensor.Reading is null) continue;
            if (sensor.ReadingType == "EnergykWh") return new RedfishPowerSource(links.Id, RedfishPowerKind.Sensor, member);
            if (sensor.ReadingType == "Power") power ??= sensor;
        }
        return power is null ? null : new RedfishPowerSource(links.Id, RedfishPowerKind.Sensor, power.Path);
    }

    private static async Task<RedfishPowerSource?> TryLegacy(Func<string, CancellationToken, Task<string>> get, ChassisLinks links, CancellationToken cancel)
    {
        if (links.Power is not { } path || await TryGet(get, path, cancel).ConfigureAwait(false) is not { } json) return null;
        var power = RedfishJson.Power(json, path);
        return power.ConsumedWatts is not null || power.AverageWatts is not null ? new RedfishPowerSource(links.Id, RedfishPowerKind.LegacyPower, path) : null;
    }

    // A resource the chassis links to but the BMC cannot serve (a 404 on an older firmware) is skipped, not fatal;
    // credentials refused and timeouts are, since nothing else would work either.
    private static async Task<string?> TryGet(Func<string, CancellationToken, Task<string>> get, string path, CancellationToken cancel)
    {
        try
        {
            return await get(path, cancel).ConfigureAwait(false);
        }
        catch (MeterProblemException e) when (e.Message.Contains("HTTP 404", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
