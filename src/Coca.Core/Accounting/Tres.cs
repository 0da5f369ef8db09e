using System.Globalization;

namespace Coca.Core.Accounting;

/// <summary>
/// Slurm's TRES strings (<c>cpu=8,mem=64G,gres/gpu:a100=2</c>): the GPUs a job held (AllocTRES) and the GPU
/// utilisation Slurm's own GPU plugin saw (<c>gres/gpuutil</c> in TRESUsageInTot).
/// </summary>
public static class Tres
{
    /// <summary>
    /// GPUs from AllocTRES: <c>gres/gpu=2</c>, else the sum of typed counts (<c>gres/gpu:a100=2</c>); 0 when the
    /// list names no GPU (a CPU-only job); null only when there is no AllocTRES at all.
    /// </summary>
    public static int? GpuCount(string? allocTres)
    {
        if (string.IsNullOrWhiteSpace(allocTres)) return null;
        int? untyped = null;
        var typed = 0;
        foreach (var (key, value) in Pairs(allocTres))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) continue;
            if (key == "gres/gpu") untyped = count;
            else if (key.StartsWith("gres/gpu:", StringComparison.Ordinal)) typed = (int)Math.Min(int.MaxValue, (long)typed + count);
        }
        return untyped ?? typed;
    }

    /// <summary>
    /// The job's mean GPU utilisation (0–1) from <c>gres/gpuutil</c>, which Slurm sums in percent over the job's
    /// GPUs: divided by the GPU count (1 when unknown) and capped at 1. Null when Slurm recorded none.
    /// </summary>
    public static double? GpuUtilisation(string? tresUsageInTot, int? gpus) => tresUsageInTot is null ? null : GpuUtilisation(tresUsageInTot.AsSpan(), gpus);

    /// <summary>The same, read from the characters in place: a year's analysis reads millions without a string for each.</summary>
    public static double? GpuUtilisation(ReadOnlySpan<char> tresUsageInTot, int? gpus)
    {
        if (tresUsageInTot.IsWhiteSpace()) return null;
        foreach (var range in tresUsageInTot.Split(','))
        {
            var part = tresUsageInTot[range];
            var eq = part.IndexOf('=');
            if (eq <= 0 || !part[..eq].Trim().SequenceEqual("gres/gpuutil")) continue;
            if (!double.TryParse(part[(eq + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || !double.IsFinite(percent) || percent < 0) return null;
            return Math.Min(1, percent / 100 / Math.Max(1, gpus ?? 1));
        }
        return null;
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string tres)
    {
        foreach (var part in tres.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) yield return (part[..eq].Trim(), part[(eq + 1)..].Trim());
        }
    }
}
