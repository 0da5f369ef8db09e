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
/// </remarks>
public static class EnergySplitter
{
    public static DeviceSplit Split(string deviceId, long energyUj, double start, double end, IEnumerable<Holding> holdings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyUj);
        var length = end - start;
        var weights = new List<(string Consumer, double Weight)>();
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
                var existing = weights.FindIndex(x => x.Consumer == h.ConsumerId);
                if (existing >= 0) weights[existing] = (h.ConsumerId, weights[existing].Weight + w);
                else if (w > 0) weights.Add((h.ConsumerId, w));
            }
        }

        var claimed = weights.Sum(w => w.Weight);
        if (claimed > 1)
        {
            for (var i = 0; i < weights.Count; i++) weights[i] = (weights[i].Consumer, weights[i].Weight / claimed);
            claimed = 1;
        }
        var rest = Math.Max(0, 1 - claimed);
        var unattributed = length > 0 ? rest * Math.Min(1, unknownPresence) : 1.0;
        var idle = length > 0 ? Math.Max(0, rest - unattributed) : 0.0;

        // Largest remainder over [consumers..., idle, unattributed] so that the integer parts add up to energyUj.
        var fractions = new double[weights.Count + 2];
        for (var i = 0; i < weights.Count; i++) fractions[i] = weights[i].Weight;
        fractions[^2] = idle;
        fractions[^1] = unattributed;
        var parts = Apportion(energyUj, fractions);

        var consumers = new (string, long)[weights.Count];
        for (var i = 0; i < weights.Count; i++) consumers[i] = (weights[i].Consumer, parts[i]);
        return new DeviceSplit
        {
            DeviceId = deviceId,
            EnergyUj = energyUj,
            Consumers = consumers,
            IdleUj = parts[^2],
            UnattributedUj = parts[^1],
        };
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
        var sum = 0.0;
        foreach (var f in fractions) sum += Math.Max(0, f);
        if (total == 0 || fractions.Length == 0) return parts;
        if (sum <= 0)
        {
            parts[^1] = total; // nothing claims it: the last part (unattributed) takes it
            return parts;
        }
        var remainders = new (double Remainder, int Index)[fractions.Length];
        long given = 0;
        for (var i = 0; i < fractions.Length; i++)
        {
            var exact = total * (Math.Max(0, fractions[i]) / sum);
            parts[i] = (long)Math.Floor(exact);
            given += parts[i];
            remainders[i] = (exact - parts[i], i);
        }
        Array.Sort(remainders, (a, b) => b.Remainder != a.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; given < total; k = (k + 1) % remainders.Length)
        {
            parts[remainders[k].Index]++;
            given++;
        }
        return parts;
    }
}
