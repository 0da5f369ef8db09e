namespace Coca.Core.Readings;

/// <summary>Something a source could not do, said in one line, with the fix when there is one.</summary>
public sealed record SourceIssue(string Source, string Problem, string? Fix = null)
{
    public override string ToString() => Fix is null ? $"{Source}: {Problem}" : $"{Source}: {Problem}. Fix: {Fix}";
}
