using System.Globalization;

namespace Coca.Slurm.Accounting;

/// <summary>
/// sacct's numeric columns beyond times and energy, each validated once: CPU time (<c>TotalCPU</c>), counts
/// (<c>AllocCPUS</c>, <c>NNodes</c>), memory (<c>ReqMem</c>, <c>MaxRSS</c>, binary units) and the time limit. Empty is
/// unknown (null); a value that does not read, or is out of range, is an error that skips its line.
/// </summary>
public static class SacctValues
{
    // A hundred years of a million CPUs: more is an overflow or a typo, not a job's CPU time.
    private const double MaxCpuSeconds = 36_500d * 86_400 * 1_000_000;
    private const long MaxCount = 10_000_000;

    // An exbibyte: far beyond any node's memory, still far from long's limit once multiplied by CPUs or nodes.
    private const long MaxBytes = 1L << 60;

    /// <summary>TotalCPU as sacct prints it, <c>[D-][HH:]MM:SS[.mmm]</c>, in seconds.</summary>
    public static bool TryCpuTime(string? text, out double? seconds, out string? error)
    {
        seconds = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        var days = 0L;
        var rest = text;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && !long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days)) days = -1;
        if (dash > 0) rest = text[(dash + 1)..];
        var fraction = 0.0;
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var digits = rest[(dot + 1)..];
            if (digits.Length is 0 or > 6 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var f)) days = -1;
            else fraction = f / Math.Pow(10, digits.Length);
            rest = rest[..dot];
        }
        var parts = rest.Split(':');
        double total = 0;
        var ok = days >= 0 && parts.Length is 2 or 3;
        for (var i = 0; ok && i < parts.Length; i++)
        {
            // Minutes and seconds below 60; the leading part (hours, or minutes without hours) may be larger.
            ok = long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && (i == 0 || v < 60) && v <= MaxCpuSeconds;
            total = total * 60 + v;
        }
        total += days * 86_400d + fraction;
        if (!ok || !double.IsFinite(total) || total > MaxCpuSeconds)
        {
            error = $"TotalCPU '{Shorten(text)}' is not [D-][HH:]MM:SS[.mmm]";
            return false;
        }
        seconds = total;
        return true;
    }

    /// <summary>A count (CPUs, nodes): a whole number from 0 to ten million.</summary>
    public static bool TryCount(string? text, string column, out int? count, out string? error)
    {
        count = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > MaxCount)
        {
            error = $"{column} '{Shorten(text)}' is not a count from 0 to {MaxCount}";
            return false;
        }
        count = (int)n;
        return true;
    }

    /// <summary>
    /// A size with Slurm's binary units (<c>1294440K</c>, <c>16G</c>, <c>0</c>): K, M, G, T, P are powers of 1024;
    /// a bare number is bytes, as sacct prints MaxRSS; a fractional one (<c>1.50G</c>) is allowed.
    /// </summary>
    public static bool TryBytes(string? text, string column, out long? bytes, out string? error) => TryBytes(text, column, 1, out bytes, out error);

    /// <summary>
    /// ReqMem for the whole job, in bytes. Slurm before 21.08 printed it per node (<c>4000Mn</c>, × NNodes) or per CPU
    /// (<c>4000Mc</c>, × AllocCPUS): null when that count is unknown. Since 21.08 it is the job's <c>mem</c> TRES, which
    /// is already the whole job's (<c>16G</c>); a bare number there is megabytes, as Slurm's <c>--mem</c> reads it.
    /// </summary>
    public static bool TryReqMem(string? text, int? nodes, int? cpus, out long? bytes, out string? error)
    {
        bytes = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        var multiplier = text[^1] switch { 'n' => nodes, 'c' => cpus, _ => (int?)1 };
        var size = text[^1] is 'n' or 'c' ? text[..^1] : text;
        if (!TryBytes(size, "ReqMem", 1024 * 1024, out var each, out error)) return false;
        if (multiplier is null || each is null) return true;
        var total = (double)each.Value * multiplier.Value;
        if (total > MaxBytes)
        {
            error = $"ReqMem '{Shorten(text)}' × {multiplier} is over an exbibyte";
            return false;
        }
        bytes = (long)total;
        return true;
    }

    /// <summary>Timelimit in seconds: <c>[D-]HH:MM:SS</c> or <c>MM:SS</c>; null for <c>UNLIMITED</c>, <c>Partition_Limit</c> and the like.</summary>
    public static bool TryTimelimit(string? text, out long? seconds, out string? error)
    {
        seconds = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text.Equals("UNLIMITED", StringComparison.OrdinalIgnoreCase)
            || text.Equals("Partition_Limit", StringComparison.OrdinalIgnoreCase) || text.Equals("INVALID", StringComparison.OrdinalIgnoreCase)
            || text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!SacctParser.TryElapsed(text, out var s))
        {
            error = $"Timelimit '{Shorten(text)}' is not [D-]HH:MM:SS, UNLIMITED or Partition_Limit";
            return false;
        }
        seconds = s;
        return true;
    }

    private static bool TryBytes(string? text, string column, long bareUnit, out long? bytes, out string? error)
    {
        bytes = null;
        error = null;
        if (string.IsNullOrEmpty(text)) return true;
        var unit = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            'P' => 1L << 50,
            _ => 0L,
        };
        var number = unit == 0 ? text : text[..^1];
        if (unit == 0) unit = bareUnit;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value * unit > MaxBytes)
        {
            error = $"{column} '{Shorten(text)}' is not a size (a number with K, M, G, T or P) up to an exbibyte";
            return false;
        }
        bytes = (long)Math.Round(value * unit);
        return true;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
