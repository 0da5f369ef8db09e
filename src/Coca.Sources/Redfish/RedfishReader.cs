using Coca.Core.Metering;
using Coca.Sources.NodeMeter;

namespace Coca.Sources.Redfish;

/// <summary>
/// A node's BMC through Redfish: discovers the power resource at the first read (again after a failure), then reads it
/// at each call. Counter readings (<c>EnergykWh</c>) become joules; power is the instantaneous figure where there is
/// one (<c>PowerConsumedWatts</c>, <c>PowerWatts</c>, a Power sensor), else the average over its interval.
/// </summary>
public sealed class RedfishReader : IMeterReader
{
    public const string SourceName = "redfish";
    private const double JoulesPerKwh = 3.6e6;
    private readonly RedfishHttp _http;
    private RedfishPowerSource? _found;

    public RedfishReader(RedfishOptions options)
    {
        _http = new RedfishHttp(options);
        Label = $"BMC {options.BaseAddress.GetLeftPart(UriPartial.Authority)} (Redfish{(options.Insecure ? ", TLS NOT verified" : "")})";
    }

    public string Name => SourceName;
    public string Label { get; }

    /// <summary>The resource found at discovery; null before it.</summary>
    public RedfishPowerSource? Found => Volatile.Read(ref _found);

    public async Task<MeterReading> ReadAsync(Func<double> now, CancellationToken cancel)
    {
        try
        {
            var found = _found ??= await RedfishDiscovery.FindAsync(_http.GetAsync, cancel).ConfigureAwait(false);
            var json = await _http.GetAsync(found.Path, cancel).ConfigureAwait(false);
            var at = now();
            return Parse(found, json, at) ?? throw new MeterProblemException($"{found.Path} no longer gives a power reading");
        }
        catch (FormatException e)
        {
            _found = null; // a firmware update may have moved things: discover again next time
            throw new MeterProblemException(e.Message);
        }
    }

    /// <summary>The reading in a resource's JSON; null when it has none.</summary>
    public static MeterReading? Parse(RedfishPowerSource found, string json, double at)
    {
        switch (found.Kind)
        {
            case RedfishPowerKind.EnvironmentMetrics:
            {
                var (watts, kwh) = RedfishJson.EnvironmentMetrics(json, found.Path);
                if (watts is null && kwh is null) return null;
                return new MeterReading(at, watts, kwh * JoulesPerKwh, Origin: found.Path + (kwh is null ? " PowerWatts" : " EnergykWh"));
            }
            case RedfishPowerKind.Sensor:
            {
                var sensor = RedfishJson.Sensor(json, found.Path);
                if (sensor.Reading is not { } value) return null;
                return sensor.ReadingType == "EnergykWh"
                    ? new MeterReading(at, null, value * JoulesPerKwh, sensor.ReadingTime, Origin: found.Path)
                    : new MeterReading(at, value, null, sensor.ReadingTime, Origin: found.Path);
            }
            default:
            {
                var power = RedfishJson.Power(json, found.Path);
                if (power.ConsumedWatts is { } consumed) return new MeterReading(at, consumed, null, Origin: found.Path + " PowerConsumedWatts");
                if (power.AverageWatts is { } average) return new MeterReading(at, average, null, AveragedOverSeconds: power.IntervalMinutes * 60, Origin: found.Path + " AverageConsumedWatts");
                return null;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
