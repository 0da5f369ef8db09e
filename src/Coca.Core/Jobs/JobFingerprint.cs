using System.Text;

namespace Coca.Core.Jobs;

/// <summary>
/// What makes two jobs "the same run with other settings": the job's name, its submit line and its work directory,
/// normalised so that hyper-parameter values and seeds drop out, then hashed to 64 bits (FNV-1a over UTF-8).
/// The rule, in order, on each of the three texts:
/// <list type="number">
/// <item>the value of an option is dropped: <c>--lr=0.1</c> and <c>--lr 0.1</c> both become <c>--lr=*</c>,
/// <c>-n 4</c> becomes <c>-n=*</c> (a value is the next word when it does not start with <c>-</c>, or is a negative number,
/// and is not a path or a file name: a word with a <c>/</c> or ending in <c>.</c> and letters, such as <c>train.py</c>,
/// is the program, not the option's value, so <c>--exclusive train.sh</c> keeps <c>train.sh</c>);</item>
/// <item>a <c>key=value</c> word keeps its key: <c>seed=3</c> becomes <c>seed=*</c>;</item>
/// <item>every run of digits (with its decimal point, exponent and sign) becomes <c>#</c>: <c>train_lr0.01_s3</c> becomes <c>train_lr#_s#</c>;</item>
/// <item>runs of white space become one space; case is kept (file names are case-sensitive).</item>
/// </list>
/// A job with none of the three has fingerprint 0.
/// </summary>
public static class JobFingerprint
{
    public static long Of(string? name, string? submitLine, string? workDir)
    {
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(submitLine) && string.IsNullOrEmpty(workDir)) return 0;
        return Hash(Normalise(name, submitLine, workDir));
    }

    /// <summary>The normalised text the hash is taken of: name, submit line and work directory, one per line.</summary>
    public static string Normalise(string? name, string? submitLine, string? workDir) =>
        Text(name) + "\n" + Text(submitLine) + "\n" + Text(workDir);

    /// <summary>How a fingerprint is shown and typed: 16 lowercase hex digits.</summary>
    public static string Format(long fingerprint) => ((ulong)fingerprint).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out long fingerprint)
    {
        fingerprint = 0;
        if (text is null || text.Length is 0 or > 16) return false;
        if (!ulong.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var value)) return false;
        fingerprint = (long)value;
        return true;
    }

    private static string Text(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var output = new List<string>(words.Length);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (word.StartsWith('-') && word.Length > 1 && !IsNumber(word))
            {
                if (eq > 0) output.Add(Digits(word[..eq]) + "=*");
                else if (i + 1 < words.Length && IsValue(words[i + 1]))
                {
                    output.Add(Digits(word) + "=*");
                    i++;
                }
                else output.Add(Digits(word));
            }
            else if (eq > 0) output.Add(Digits(word[..eq]) + "=*");
            else output.Add(Digits(word));
        }
        return string.Join(' ', output);
    }

    private static bool IsValue(string word) => IsNumber(word) || (!word.StartsWith('-') && !IsPath(word));

    // A path or a file name: what follows a flag without a value is the program or script, which tells runs apart.
    private static bool IsPath(string word)
    {
        if (word.Contains('/', StringComparison.Ordinal)) return true;
        var dot = word.LastIndexOf('.');
        return dot >= 0 && dot < word.Length - 1 && word.Length - dot <= 6 && word[(dot + 1)..].All(char.IsAsciiLetter);
    }

    private static bool IsNumber(string word) => double.TryParse(word, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    // Digits, with a decimal point between digits, an exponent after them, and a sign before them when it follows a non-letter.
    private static string Digits(string word)
    {
        var result = new StringBuilder(word.Length);
        var i = 0;
        while (i < word.Length)
        {
            if (!char.IsAsciiDigit(word[i]))
            {
                result.Append(word[i++]);
                continue;
            }
            if (result.Length > 0 && result[^1] is '-' or '+' && (result.Length == 1 || !char.IsAsciiLetter(result[^2]))) result.Length--;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
            if (i + 1 < word.Length && word[i] == '.' && char.IsAsciiDigit(word[i + 1]))
            {
                i++;
                while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
            }
            if (i + 1 < word.Length && word[i] is 'e' or 'E')
            {
                var j = i + 1;
                if (j < word.Length && word[j] is '-' or '+') j++;
                if (j < word.Length && char.IsAsciiDigit(word[j]))
                {
                    i = j;
                    while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
                }
            }
            result.Append('#');
        }
        return result.ToString();
    }

    private static long Hash(string text)
    {
        const ulong offset = 14695981039346656037, prime = 1099511628211;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }
        // 0 means "no fingerprint": a text that hashes to it takes 1 instead.
        return hash == 0 ? 1 : (long)hash;
    }
}
