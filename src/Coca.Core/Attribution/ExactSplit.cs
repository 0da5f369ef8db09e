namespace Coca.Core.Attribution;

/// <summary>
/// Splits an amount of energy into integer microjoules that add up to the whole, exactly: the engine's only arithmetic
/// on energy. Rounding uses the largest remainder, so no microjoule is lost or invented.
/// </summary>
public static class ExactSplit
{
    /// <summary>
    /// The split of one device's energy over one window, without allocating: <paramref name="weights"/> are each
    /// holder's presence × share (scaled in place when they exceed the whole device); <paramref name="unknownPresence"/>
    /// the presence of holders whose share is unknown. <paramref name="parts"/> (length weights + 2) receives each
    /// holder's µJ, then idle (what no holder held), then unattributed (what holders of unknown share may have used:
    /// never guessed into idle or into a job).
    /// </summary>
    public static void ByWeights(long energyUj, Span<double> weights, double unknownPresence, Span<long> parts)
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
