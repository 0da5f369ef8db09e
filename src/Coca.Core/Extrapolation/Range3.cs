namespace Coca.Core.Extrapolation;

/// <summary>A figure as [LOW, MID, HIGH], in the unit its name says; LOW ≤ MID ≤ HIGH.</summary>
public readonly record struct Range3(double Low, double Mid, double High)
{
    public static Range3 Exactly(double x) => new(x, x, x);

    public Range3 Times(Range3 other) => new(Low * other.Low, Mid * other.Mid, High * other.High);

    public Range3 Times(double k) => new(Low * k, Mid * k, High * k);

    public Range3 Plus(Range3 other) => new(Low + other.Low, Mid + other.Mid, High + other.High);

    /// <summary>Sorted, so that a difference that changes sign (a PUE above the target's) stays LOW ≤ MID ≤ HIGH.</summary>
    public Range3 Ordered()
    {
        double[] v = [Low, Mid, High];
        Array.Sort(v);
        return new(v[0], v[1], v[2]);
    }

    public double[] ToArray() => [Low, Mid, High];
}
