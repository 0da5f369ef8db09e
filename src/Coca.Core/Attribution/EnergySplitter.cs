namespace Coca.Core.Attribution;

/// <summary>
/// Splits a device's energy over an interval between the consumers that held it, <c>idle</c> and
/// <c>unattributed</c>, exactly: the parts are integer microjoules that add up to the whole.
/// </summary>
/// <remarks>
/// The interval's energy is spread uniformly over it: a consumer holding the device for part of the
/// interval gets the overlapping fraction times its share. Shares that add up to more than the whole
/// device are scaled down to it. What no consumer holds is <c>idle</c>. While a consumer whose share
/// is unknown is present, the part not claimed by known shares cannot be placed: it is <c>unattributed</c>
/// (never guessed into idle or into a job). Rounding uses the largest remainder, so the sum is exact.
/// <see cref="SplitWeights"/> is the allocation-free core the agent calls every tick; <see cref="Split"/>
/// wraps it for offline use.
/// </remarks>
public static class EnergySplitter
{
    public static DeviceSplit Split(string deviceId, long energyUj, double start, double end, IEnumerable<Holding> holdings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyUj);
        var length = end - start;
        var consumers = new List<string>();
        var weights = new List<double>();
        var unknownPresence = 0.0;
        if (length > 0)
        {
            foreach (var h in holdings)
            {
                if (h.DeviceId != deviceId) continue;
                var fraction = h.OverlapSeconds(start, end) / length;
                if (fraction <= 0) continue;
                if (double.IsNaN(h.Share))
                {
                    unknownPresence += fraction;
                    continue;
                }
                var w = fraction * Math.Clamp(h.Share, 0, 1);
                var existing = consumers.IndexOf(h.ConsumerId);
                if (existing >= 0) weights[existing] += w;
                else if (w > 0)
                {
                    consumers.Add(h.ConsumerId);
                    weights.Add(w);
                }
            }
        }
        else
        {
            return Unplaceable(deviceId, energyUj);
        }

        var weightSpan = weights.ToArray();
        var parts = new long[weightSpan.Length + 2];
        SplitWeights(energyUj, weightSpan, unknownPresence, parts);
        var result = new (string, long)[consumers.Count];
        for (var i = 0; i < consumers.Count; i++) result[i] = (consumers[i], parts[i]);
        return new DeviceSplit
        {
            DeviceId = deviceId,
            EnergyUj = energyUj,
            Consumers = result,
            IdleUj = parts[^2],
            UnattributedUj = parts[^1],
        };
    }

    /// <summary>
    /// The split itself, without allocating: <paramref name="weights"/> are each consumer's overlap × share
    /// (scaled in place when they exceed the whole); <paramref name="unknownPresence"/> the overlap of consumers
    /// whose share is unknown. <paramref name="parts"/> (length weights + 2) receives each consumer's µJ, then
    /// idle, then unattributed.
    /// </summary>
    public static void SplitWeights(long energyUj, Span<double> weights, double unknownPresence, Span<long> parts)
    {
        var claimed = 0.0;
        foreach (var w in weights) claimed += w;
        if (claimed > 1)
        {
            for (var i = 0; i < weights.Length; i++) weights[i] /= claimed;
            claimed = 1;
        }
        var rest = Math.Max(0, 1 - claimed);
        var unattributed = rest * Math.Min(1, unknownPresence);
        var idle = Math.Max(0, rest - unattributed);
        Span<double> fractions = weights.Length + 2 <= 256 ? stackalloc double[weights.Length + 2] : new double[weights.Length + 2];
        weights.CopyTo(fractions);
        fractions[^2] = idle;
        fractions[^1] = unattributed;
        Apportion(energyUj, fractions, parts);
    }

    /// <summary>A device no rule can place (node residual before its rule is configured): all of it is unattributed.</summary>
    public static DeviceSplit Unplaceable(string deviceId, long energyUj) => new()
    {
        DeviceId = deviceId,
        EnergyUj = energyUj,
        Consumers = [],
        IdleUj = 0,
        UnattributedUj = energyUj,
    };

    /// <summary>Integer parts of <paramref name="total"/> proportional to <paramref name="fractions"/>, summing to exactly <paramref name="total"/>.</summary>
    public static long[] Apportion(long total, ReadOnlySpan<double> fractions)
    {
        var parts = new long[fractions.Length];
        Apportion(total, fractions, parts);
        return parts;
    }

    /// <summary>
    /// As <see cref="Apportion(long, ReadOnlySpan{double})"/>, into <paramref name="parts"/>, without allocating.
    /// The microjoules left after flooring go one each to the largest remainders, ties to the earlier part.
    /// </summary>
    public static void Apportion(long total, ReadOnlySpan<double> fractions, Span<long> parts)
    {
        parts[..fractions.Length].Clear();
        if (total == 0 || fractions.Length == 0) return;
        var sum = 0.0;
        foreach (var f in fractions) sum += Math.Max(0, f);
        if (sum <= 0)
        {
            parts[fractions.Length - 1] = total; // nothing claims it: the last part (unattributed) takes it
            return;
        }
        Span<double> remainders = fractions.Length <= 256 ? stackalloc double[fractions.Length] : new double[fractions.Length];
        long given = 0;
        for (var i = 0; i < fractions.Length; i++)
        {
            var exact = total * (Math.Max(0, fractions[i]) / sum);
            parts[i] = (long)Math.Floor(exact);
            given += parts[i];
            remainders[i] = exact - parts[i];
        }
        // At most one µJ per part is left (< fractions.Length in all): pick the largest remainders in turn.
        for (; given < total; given++)
        {
            var best = 0;
            for (var i = 1; i < remainders.Length; i++)
            {
                if (remainders[i] > remainders[best]) best = i;
            }
            parts[best]++;
            remainders[best] = -1;
        }
    }
}
