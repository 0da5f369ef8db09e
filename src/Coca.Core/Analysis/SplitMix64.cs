namespace Coca.Core.Analysis;

/// <summary>
/// A small seeded generator (SplitMix64, Steele et al. 2014) whose sequence is fixed by this code, not by the runtime:
/// an experiment's arms and a bootstrap's interval must come out the same on every machine and .NET version.
/// </summary>
public sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A whole number in [0, n), without modulo bias worth naming at these sizes (n ≪ 2^32).</summary>
    public int Below(int n) => (int)((Next() >> 32) * (ulong)n >> 32);

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
