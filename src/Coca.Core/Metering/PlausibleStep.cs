namespace Coca.Core.Metering;

/// <summary>
/// The most a counter can believably move in a time: four times the device's maximum power (RAPL's max power, the
/// GPU's power limit) over the elapsed time, plus a joule of slack for reading jitter. A larger step is a reboot, a
/// reload or a corrupt read, and is counted as zero rather than invented. The one place this rule lives.
/// </summary>
public static class PlausibleStep
{
    public const double Factor = 4.0;
    public const double SlackJoules = 1.0;

    /// <summary>The largest believable step in the counter's own unit; <see cref="ulong.MaxValue"/> when the power or the time is unknown.</summary>
    /// <param name="unitUj">Microjoules per counter unit (1 for RAPL, 1000 for NVML).</param>
    public static ulong MaxDelta(double? maxPowerW, double seconds, double unitUj)
    {
        if (maxPowerW is not { } watts || !(watts > 0) || !(seconds > 0) || !(unitUj > 0)) return ulong.MaxValue;
        var units = (watts * Factor * seconds + SlackJoules) * 1e6 / unitUj;
        return units >= ulong.MaxValue / 2.0 ? ulong.MaxValue / 2 : (ulong)units;
    }
}
