namespace Coca.Core.Metering;

/// <summary>
/// One reading of a node meter (a BMC through Redfish or IPMI DCMI, an external wattmeter), as its poller received it.
/// A meter gives an energy counter, a power, or both; a figure it does not give is null, never 0.
/// </summary>
/// <param name="At">When the reading was received, seconds on the poller's monotonic clock (shown, not integrated: the tick dates a reading by when it first sees it).</param>
/// <param name="Watts">The power the meter reports, W: instantaneous or averaged over <paramref name="AveragedOverSeconds"/>.</param>
/// <param name="EnergyJoules">The meter's cumulative energy counter, J (Redfish <c>EnergykWh</c> × 3.6e6).</param>
/// <param name="MeterTime">The meter's own timestamp of the reading, when it gives one (IPMI timestamp, a wattmeter's
/// row time, a Redfish sensor's <c>ReadingTime</c>): a reading with the same timestamp and figures as the last one is a
/// stale repeat (the BMC has not refreshed), not a new sample.</param>
/// <param name="AveragedOverSeconds">The window <paramref name="Watts"/> is averaged over (Redfish <c>IntervalInMin</c>, DCMI's sampling period).</param>
/// <param name="Origin">Which resource or column gave it (<c>/redfish/v1/Chassis/1U/EnvironmentMetrics PowerWatts</c>), for <c>coca sensors</c>.</param>
public sealed record MeterReading(
    double At,
    double? Watts,
    double? EnergyJoules,
    DateTimeOffset? MeterTime = null,
    double? AveragedOverSeconds = null,
    string Origin = "")
{
    /// <summary>Same meter timestamp and the same figures: the meter has not refreshed since <paramref name="other"/>.</summary>
    public bool RepeatOf(MeterReading? other) =>
        other is not null && MeterTime is not null && MeterTime == other.MeterTime && Watts == other.Watts && EnergyJoules == other.EnergyJoules;
}
