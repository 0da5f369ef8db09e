namespace Coca.Core.Attribution;

/// <summary>How one device's energy over one interval was split; the parts add up to the whole, to the microjoule.</summary>
public sealed class DeviceSplit
{
    public required string DeviceId { get; init; }
    public required long EnergyUj { get; init; }
    public required IReadOnlyList<(string ConsumerId, long EnergyUj)> Consumers { get; init; }
    public required long IdleUj { get; init; }
    public required long UnattributedUj { get; init; }
}
