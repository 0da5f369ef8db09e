namespace Coca.Core.Readings;

/// <summary>How loudly an issue is said: warnings make a figure less than measured; information only explains.</summary>
public enum SourceIssueLevel
{
    Warning,
    /// <summary>Nothing to measure and nothing lost (no NVIDIA driver on a laptop): shown by <c>coca sensors</c> only.</summary>
    Info,
}

/// <summary>Something a source could not do, said in one line, with the fix when there is one.</summary>
public sealed record SourceIssue(string Source, string Problem, string? Fix = null, SourceIssueLevel Level = SourceIssueLevel.Warning)
{
    public override string ToString() => Fix is null ? $"{Source}: {Problem}" : $"{Source}: {Problem}. Fix: {Fix}";
}
