using Coca.Sources;
using Coca.Sources.NodeMeter;
using Spectre.Console;

namespace Coca.Commands.Node.Output;

/// <summary><c>coca sensors</c>' lines for the node's meter: what it is, how often it is read, its last reading or its problem.</summary>
internal static class NodeMeterReport
{
    /// <summary>Asks each node meter once, on this thread (the command has no tick to protect).</summary>
    public static IReadOnlyList<NodeMeterSource> ReadOnce(SourceSet set)
    {
        var meters = set.Sources.OfType<NodeMeterSource>().ToList();
        foreach (var m in meters) m.Poller.ReadOnceAsync(CancellationToken.None).GetAwaiter().GetResult();
        return meters;
    }

    public static IReadOnlyList<SensorMeter> Of(IReadOnlyList<NodeMeterSource> meters) => meters.Select(m =>
    {
        var r = m.Poller.Latest;
        var device = m.Devices[0];
        return new SensorMeter(device.Id, m.Name, m.Poller.Reader.Label, m.Poller.IntervalSeconds, m.Integrator.StaleAfterSeconds,
            r?.Watts, r?.EnergyJoules, r?.MeterTime, r?.AveragedOverSeconds, r?.Origin, r is null ? null : (r.EnergyJoules is null ? "derived" : "measured"), m.Poller.Problem);
    }).ToList();

    public static void Print(IAnsiConsole console, IReadOnlyList<SensorMeter> meters)
    {
        foreach (var m in meters)
        {
            var reading = m.Problem is not null && m.PowerW is null && m.EnergyJ is null
                ? $"[yellow]no reading[/]: {Markup.Escape(m.Problem)}"
                : string.Join(", ", new[]
                {
                    m.PowerW is { } w ? Format.Power(w) + (m.AveragedOverS is { } a ? $" (average over {a:0} s)" : "") : null,
                    m.EnergyJ is { } e ? $"counter {e / 3.6e6:0.###} kWh" : null,
                    m.MeterTime is { } t ? $"at {t:u}" : null,
                    m.Origin is { Length: > 0 } o ? $"from {o}" : null,
                }.Where(x => x is not null).Select(x => Markup.Escape(x!)));
            console.MarkupLine($"node meter [bold]{Markup.Escape(m.Id)}[/]: {Markup.Escape(m.Label)}; read every {m.PollIntervalS:0.#} s, a reading stands {m.StaleAfterS:0} s; {reading}");
        }
    }
}

/// <param name="PollIntervalS">Seconds between readings (the BMC may refresh more slowly: iDRAC about once a minute).</param>
/// <param name="AveragedOverS">The window the power is averaged over, when the meter says (Redfish IntervalInMin, DCMI's period).</param>
internal sealed record SensorMeter(
    string Id,
    string Source,
    string Label,
    double PollIntervalS,
    double StaleAfterS,
    double? PowerW,
    double? EnergyJ,
    DateTimeOffset? MeterTime,
    double? AveragedOverS,
    string? Origin,
    string? Provenance,
    string? Problem);
