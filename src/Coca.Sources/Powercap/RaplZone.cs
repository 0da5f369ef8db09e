namespace Coca.Sources.Powercap;

/// <summary>A powercap zone found on disk, before it is opened.</summary>
/// <param name="DirectoryName">e.g. <c>intel-rapl:0:2</c> or <c>intel-rapl-mmio:0</c>.</param>
/// <param name="ZoneName">The zone's <c>name</c> file: <c>package-0</c>, <c>dram</c>, <c>core</c>, <c>psys</c>.</param>
/// <param name="DeviceId">Stable identity: <c>package-0</c>, <c>package-0-die-1</c>, <c>dram-0</c>, <c>core-0</c>, <c>psys</c>.</param>
/// <param name="MaxEnergyRangeUj">Where <c>energy_uj</c> wraps; null when the file is missing.</param>
/// <param name="MaxPowerUw">Largest <c>constraint_N_max_power_uw</c>; null when unknown.</param>
public sealed record RaplZone(
    string Path,
    string DirectoryName,
    string ZoneName,
    string DeviceId,
    RaplZoneRole Role,
    bool IsMmio,
    ulong? MaxEnergyRangeUj,
    ulong? MaxPowerUw)
{
    public string EnergyFile => System.IO.Path.Combine(Path, "energy_uj");

    /// <summary>Seconds for the counter to wrap at the zone's maximum power; null when either figure is unknown.</summary>
    public double? WrapSecondsAtMaxPower =>
        MaxEnergyRangeUj is { } range && MaxPowerUw is { } power && power > 0 ? range / (double)power : null;
}
