using Coca.Core.Units;

namespace Coca.Core.Attribution;

/// <summary>
/// Running totals of attributed energy: per consumer and component, idle and unattributed per
/// component, and the devices' own totals, in integer microjoules. <see cref="Residual"/> is zero by
/// construction; tests and the agent check it.
/// </summary>
public sealed class AttributionLedger
{
    private readonly Dictionary<string, long[]> _consumers = new(StringComparer.Ordinal);
    private readonly long[] _idle = new long[4];
    private readonly long[] _unattributed = new long[4];
    private readonly long[] _devices = new long[4];

    public IReadOnlyDictionary<string, long[]> Consumers => _consumers;
    public ReadOnlySpan<long> IdleUj => _idle;
    public ReadOnlySpan<long> UnattributedUj => _unattributed;
    public ReadOnlySpan<long> DeviceUj => _devices;

    public void Add(DeviceSplit split, ComponentKind component)
    {
        var c = (int)component;
        _devices[c] += split.EnergyUj;
        _idle[c] += split.IdleUj;
        _unattributed[c] += split.UnattributedUj;
        foreach (var (consumer, uj) in split.Consumers)
        {
            if (!_consumers.TryGetValue(consumer, out var totals)) _consumers[consumer] = totals = new long[4];
            totals[c] += uj;
        }
    }

    public long ConsumerUj(string consumer, ComponentKind component) =>
        _consumers.TryGetValue(consumer, out var t) ? t[(int)component] : 0;

    /// <summary>Devices' energy minus everything placed: 0 when the books balance.</summary>
    public long Residual()
    {
        long placed = 0;
        foreach (var t in _consumers.Values) placed += t.Sum();
        return _devices.Sum() - placed - _idle.Sum() - _unattributed.Sum();
    }
}
