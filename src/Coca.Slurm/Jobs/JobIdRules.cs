namespace Coca.Slurm.Jobs;

/// <summary>
/// Slurm's job id forms, and nothing else: <c>123</c>, an array task <c>123_4</c>, a heterogeneous component
/// <c>123+1</c>, each optionally with a step (<c>123.0</c>, <c>123.batch</c>, <c>123.extern</c>). A job id from a
/// record or a hook's environment names files in the state directory, which root writes and deletes: anything else
/// (<c>../escaped</c>, a slash, a NUL, a 1 MB string) is refused before it can reach a path.
/// </summary>
/// <remarks>Kept here until the one validator in Core (Coca.Core.Jobs.JobId) replaces it at merge.</remarks>
public static class JobIdRules
{
    // Slurm's ids are 32-bit; a few more digits leave room without letting a long string through.
    private const int MaxDigits = 12;
    private const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength) return false;
        var text = id.AsSpan();
        var step = text.IndexOf('.');
        if (step >= 0)
        {
            if (!IsStep(text[(step + 1)..])) return false;
            text = text[..step];
        }
        var separator = text.IndexOfAny('_', '+');
        if (separator < 0) return IsNumber(text);
        return IsNumber(text[..separator]) && IsNumber(text[(separator + 1)..]);
    }

    private static bool IsNumber(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > MaxDigits) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static bool IsStep(ReadOnlySpan<char> text) =>
        IsNumber(text) || text.SequenceEqual("batch") || text.SequenceEqual("extern") || text.SequenceEqual("interactive");
}
