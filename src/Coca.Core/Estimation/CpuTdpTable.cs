using System.Text.RegularExpressions;

namespace Coca.Core.Estimation;

/// <summary>
/// Matches a <c>/proc/cpuinfo</c> model name against a table of published TDP figures.
/// </summary>
public static partial class CpuTdpTable
{
    public const string Source = "Green Algorithms TDP_cpu table (Lannelongue et al. 2021; vendor datasheets, techpowerup.com)";

    /// <summary>Green Algorithms' default per-core TDP for unknown models (W per core).</summary>
    public const double DefaultWattsPerCore = 12.0;

    private static readonly (CpuModelTdp Row, string[] Tokens)[] Indexed =
        CpuTdpData.Rows.Select(r => (r, Tokenize(r.Model))).ToArray();

    public static IReadOnlyList<CpuModelTdp> All => CpuTdpData.Rows;

    /// <summary>The table row whose every word appears in the model name; the most specific wins.</summary>
    public static CpuModelTdp? Match(string cpuModelName)
    {
        var name = new HashSet<string>(Tokenize(cpuModelName), StringComparer.Ordinal);
        CpuModelTdp? best = null;
        var bestLength = 0;
        foreach (var (row, tokens) in Indexed)
        {
            if (tokens.Length > bestLength && tokens.All(name.Contains))
            {
                best = row;
                bestLength = tokens.Length;
            }
        }
        return best;
    }

    // "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz" → intel xeon gold 6226r
    internal static string[] Tokenize(string model)
    {
        var cleaned = Noise().Replace(model.ToLowerInvariant(), " ");
        return cleaned.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t is not ("cpu" or "processor" or "with" or "radeon" or "graphics"))
            .ToArray();
    }

    [GeneratedRegex(@"\((r|tm)\)|@\s*[\d.]+\s*ghz|\d+-core", RegexOptions.CultureInvariant)]
    private static partial Regex Noise();
}
