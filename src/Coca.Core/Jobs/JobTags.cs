using System.Text.RegularExpressions;

namespace Coca.Core.Jobs;

/// <summary>
/// Tags a user gives a job in its comment (<c>sbatch --comment "model=resnet50 task=train"</c>): <c>key=value</c>
/// pairs separated by spaces, commas or semicolons; keys are letters, digits, <c>_ . -</c> and are lowercased;
/// anything else in the comment is ignored. Stored as one text, <c>" model=resnet50 task=train "</c> (spaces around
/// every pair, so that a filter for one pair is a plain substring match), in the comment's order, the first value of
/// a repeated key kept.
/// </summary>
public static partial class JobTags
{
    public const int MaxTags = 32;
    public const int MaxLength = 64;

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? comment)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(comment)) return tags;
        foreach (Match m in Pair().Matches(comment))
        {
            var key = m.Groups[1].Value.ToLowerInvariant();
            var value = m.Groups[2].Value;
            if (key.Length > MaxLength || value.Length > MaxLength || tags.Any(t => t.Key == key)) continue;
            tags.Add(new(key, value));
            if (tags.Count == MaxTags) break;
        }
        return tags;
    }

    /// <summary>The stored form: null when the comment has no tag.</summary>
    public static string? Column(string? comment)
    {
        var tags = Parse(comment);
        return tags.Count == 0 ? null : " " + string.Join(' ', tags.Select(t => t.Key + "=" + t.Value)) + " ";
    }

    /// <summary>The substring a stored column contains when the job has that tag; false when the filter is not one <c>key=value</c>.</summary>
    public static bool TryFilter(string text, out string needle)
    {
        needle = "";
        var tags = Parse(text);
        if (tags.Count != 1 || Pair().Match(text).Value.Length != text.Trim().Length) return false;
        needle = " " + tags[0].Key + "=" + tags[0].Value + " ";
        return true;
    }

    /// <summary>The value of one key in a stored column; null when absent.</summary>
    public static string? Value(string? column, string key)
    {
        if (column is null) return null;
        key = key.ToLowerInvariant(); // stored keys are lowercase
        var start = column.IndexOf(" " + key + "=", StringComparison.Ordinal);
        if (start < 0) return null;
        start += key.Length + 2;
        var end = column.IndexOf(' ', start);
        return column[start..(end < 0 ? column.Length : end)];
    }

    [GeneratedRegex(@"(?<![^\s,;])([A-Za-z0-9_.\-]+)=([^\s,;]+)")]
    private static partial Regex Pair();
}
