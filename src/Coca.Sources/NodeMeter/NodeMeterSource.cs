using System.Globalization;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Sources.NodeMeter;

/// <summary>
/// A node meter as an energy source: one device, <c>node:&lt;meter&gt;</c>, the node's total (<see cref="DeviceInfo.NodeTotal"/>),
/// never counted into a component. Its reading comes from a <see cref="MeterPoller"/> on its own task; a tick reads
/// the poller's last reading and integrates it (<see cref="NodeMeterIntegrator"/>), without I/O and without waiting.
/// </summary>
public sealed class NodeMeterSource : IEnergySource
{
    private readonly MeterPoller _poller;
    private readonly NodeMeterIntegrator _integrator;
    private readonly List<SourceIssue> _issues = [];

    /// <param name="staleAfterSeconds">How long a reading stands for the meter (a BMC refreshes about once a minute).</param>
    public NodeMeterSource(MeterPoller poller, double staleAfterSeconds, IEnumerable<SourceIssue>? issues = null)
    {
        _poller = poller;
        _integrator = new NodeMeterIntegrator(staleAfterSeconds);
        if (issues is not null) _issues.AddRange(issues);
        var reader = poller.Reader;
        Devices =
        [
            new DeviceInfo("node:" + reader.Name, ComponentKind.Other, Counted: false, reader.Name, reader.Label)
            {
                NodeTotal = true,
                Note = "the whole node's meter: 'other' is what it sees beyond the CPUs, memory and GPUs",
                Attributes = new Dictionary<string, string>
                {
                    ["poll_interval_s"] = poller.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
                    ["stale_after_s"] = staleAfterSeconds.ToString(CultureInfo.InvariantCulture),
                },
            },
        ];
    }

    /// <summary>Opens the meter's reader and its poller (started when <see cref="NodeMeterOptions.Poll"/>). A reader that cannot be built (a bad channel map, a CA file that is no certificate) throws a <see cref="FormatException"/>, which the command says in one line.</summary>
    public static IEnergySource Open(NodeMeterOptions options)
    {
        var reader = options.Open();
        var source = new NodeMeterSource(new MeterPoller(reader, options.IntervalSeconds), options.StaleAfterSeconds, options.Warnings);
        if (options.Poll) source.Poller.Start();
        return source;
    }

    public string Name => _poller.Reader.Name;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues => _issues;
    public MeterPoller Poller => _poller;
    public NodeMeterIntegrator Integrator => _integrator;

    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        ref var s = ref into[0];
        var readable = _integrator.Advance(monotonicSeconds, _poller.Latest, out var step);
        s.EnergyUj = _integrator.TotalUj;
        s.PowerW = readable ? _integrator.Watts : double.NaN;
        s.State = readable ? DeviceState.Ok : DeviceState.Unreadable;
        s.Provenance = readable ? _integrator.Provenance : Provenance.None;
        s.RawCounter = _integrator.RawMillijoules;
        s.Event = step;
    }

    public void Dispose() => _poller.Dispose();
}
