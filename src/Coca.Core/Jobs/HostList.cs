using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coca.Core.Jobs;

/// <summary>
/// Slurm's compressed node lists (<c>gpu[01-04,07],login1</c>, <c>r[1-2]n[01-08]</c>) as NodeList prints them:
/// whether a node is in one, without expanding it.
/// </summary>
public static class HostList
{
    /// <summary>True when <paramref name="node"/> is one of the list's nodes.</summary>
    public static bool Contains(string list, string node)
    {
        foreach (var item in Items(list))
        {
            if (Matches(item.Trim(), node)) return true;
        }
        return false;
    }

    // Commas separate items only outside brackets.
    private static IEnumerable<string> Items(string list)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] == '[') depth++;
            else if (list[i] == ']') depth = Math.Max(0, depth - 1);
            else if (list[i] == ',' && depth == 0)
            {
                yield return list[start..i];
                start = i + 1;
            }
        }
        yield return list[start..];
    }

    private static bool Matches(string item, string node)
    {
        if (!item.Contains('[', StringComparison.Ordinal)) return item == node;
        // Each bracket becomes a run of digits; each captured run must then fall in one of its bracket's ranges.
        var pattern = new StringBuilder("^");
        var brackets = new List<string>();
        var i = 0;
        while (i < item.Length)
        {
            var open = item.IndexOf('[', i);
            if (open < 0)
            {
                pattern.Append(Regex.Escape(item[i..]));
                break;
            }
            var close = item.IndexOf(']', open);
            if (close < 0) return false;
            pattern.Append(Regex.Escape(item[i..open])).Append("([0-9]+)");
            brackets.Add(item[(open + 1)..close]);
            i = close + 1;
        }
        var match = Regex.Match(node, pattern.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success) return false;
        for (var b = 0; b < brackets.Count; b++)
        {
            if (!InRanges(brackets[b], match.Groups[b + 1].Value)) return false;
        }
        return true;
    }

    private static bool InRanges(string ranges, string digits)
    {
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return false;
        foreach (var range in ranges.Split(','))
        {
            var parts = range.Split('-');
            var lo = parts[0];
            var hi = parts.Length > 1 ? parts[1] : parts[0];
            if (!long.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out var from) || !long.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out var to)) continue;
            // Zero-padded ranges (01-04) name fixed-width nodes: gpu01 is in gpu[01-04], gpu1 is not.
            var padded = lo.Length > 1 && lo[0] == '0';
            if (padded && digits.Length != lo.Length) continue;
            if (!padded && digits.Length > 1 && digits[0] == '0') continue;
            if (value >= from && value <= to) return true;
        }
        return false;
    }
}
