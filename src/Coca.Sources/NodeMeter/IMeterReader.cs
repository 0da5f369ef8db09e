using Coca.Core.Metering;

namespace Coca.Sources.NodeMeter;

/// <summary>
/// One node meter, read once per call (an HTTP request to a BMC, an ipmitool process, the new lines of a wattmeter's
/// file). Called from the meter's poller thread only, one call at a time, never from the tick.
/// </summary>
public interface IMeterReader : IDisposable
{
    /// <summary>Short name: <c>redfish</c>, <c>ipmi</c>, <c>wattmeter</c>.</summary>
    string Name { get; }

    /// <summary>What is read, for people: the BMC's address (no credentials), the file and its channels.</summary>
    string Label { get; }

    /// <summary>
    /// Reads the meter. <paramref name="now"/> gives the tick clock's seconds, to stamp the reading with when it arrived.
    /// A failure is a <see cref="MeterProblemException"/> whose message is safe to log (no secrets).
    /// </summary>
    Task<MeterReading> ReadAsync(Func<double> now, CancellationToken cancel);
}

/// <summary>Why a meter could not be read, in one line that carries no secret (no password, no token, no header).</summary>
public sealed class MeterProblemException(string message) : Exception(message);
