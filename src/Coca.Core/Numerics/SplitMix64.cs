namespace Coca.Core.Numerics;

/// <summary>
/// Seeded random numbers: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
/// 2014), written here rather than taken from <see cref="System.Random"/> so that the same seed gives the same numbers on
/// every .NET version and platform: the simulator's bytes, an experiment's arms and a bootstrap's interval. Not for secrets.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A seed as typed (<c>--seed N</c>), its bits taken as they are.</summary>
    public SplitMix64(long seed) : this(unchecked((ulong)seed))
    {
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 bits (<see cref="NextUInt64"/>).</summary>
    public ulong Next() => NextUInt64();

    /// <summary>A whole number in [0, n), without modulo bias worth naming at these sizes (n ≪ 2^32).</summary>
    public int Below(int n) => (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform whole number in [min, max] (both included).</summary>
    public int Int(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min + 1));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller; one of the pair is dropped so that the state stays one number).</summary>
    public double Normal()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Log-normal with the given median and σ of the log.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>An index drawn with the given weights (not necessarily summing to 1).</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>A second generator, independent of this one's later draws: each output file has its own stream.</summary>
    public SplitMix64 Fork() => new(NextUInt64());
}
