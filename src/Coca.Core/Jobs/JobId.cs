using System.Text.RegularExpressions;

namespace Coca.Core.Jobs;

/// <summary>
/// A Slurm job id in one of the forms Slurm prints: <c>123</c>, an array task <c>123_4</c> (or a pending range
/// <c>123_[1-5%2]</c>), a heterogeneous component <c>123+1</c>, and with <see cref="JobIdForms.Steps"/> a step
/// <c>123.batch</c>, <c>123.extern</c>, <c>123.0</c>. The one validator of job ids for every entry: hooks, job
/// records, the ingest API, sacct and slurmrestd. A valid id is digits, <c>_+.[]-%,</c> and letters of a step
/// name only: never a path separator, a dot-dot, a space or a control character, and at most 64 characters.
/// </summary>
public sealed partial record JobId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>The job's number, <c>123</c>.</summary>
    public required string Number { get; init; }

    /// <summary>The array task (<c>4</c>) or pending range (<c>[1-5%2]</c>); null when the job is not an array task.</summary>
    public string? ArrayTask { get; init; }

    /// <summary>The heterogeneous component offset (<c>1</c> in <c>123+1</c>); null otherwise.</summary>
    public string? HetComponent { get; init; }

    /// <summary>The step (<c>batch</c>, <c>extern</c>, <c>0</c>); null for the job itself.</summary>
    public string? Step { get; init; }

    /// <summary>The job without its step or component: <c>123</c>, <c>123_4</c>.</summary>
    public string Job => ArrayTask is null ? Number : $"{Number}_{ArrayTask}";

    /// <summary>The job with its component, without its step: <c>123+1</c>.</summary>
    public string WithoutStep => HetComponent is null ? Job : $"{Job}+{HetComponent}";

    public override string ToString() => Step is null ? WithoutStep : $"{WithoutStep}.{Step}";

    /// <summary>Parses an id; false (with <paramref name="id"/> null) for anything Slurm would not print.</summary>
    public static bool TryParse(string? text, out JobId? id, JobIdForms forms = JobIdForms.Job)
    {
        id = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        if (match.Groups["step"].Success && !forms.HasFlag(JobIdForms.Steps)) return false;
        if (match.Groups["range"].Success && !forms.HasFlag(JobIdForms.ArrayRanges)) return false;
        id = new JobId
        {
            Number = match.Groups["job"].Value,
            ArrayTask = match.Groups["task"].Success ? match.Groups["task"].Value : match.Groups["range"].Success ? match.Groups["range"].Value : null,
            HetComponent = match.Groups["het"].Success ? match.Groups["het"].Value : null,
            Step = match.Groups["step"].Success ? match.Groups["step"].Value : null,
        };
        return true;
    }

    /// <summary>True when <paramref name="text"/> is a valid id of the given forms.</summary>
    public static bool IsValid(string? text, JobIdForms forms = JobIdForms.Job) => TryParse(text, out _, forms);

    /// <summary>Why an id is refused, for messages: never echoes more than 40 characters of it, control characters escaped.</summary>
    public static string Describe(string? text)
    {
        if (text is null) return "a job id is required";
        if (text.Length == 0) return "the job id is empty";
        if (text.Length > MaxLength) return $"the job id is {text.Length} characters long (at most {MaxLength})";
        var shown = string.Concat(text.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return $"'{shown}' is not a Slurm job id (123, 123_4, 123+1{(text.Contains('.', StringComparison.Ordinal) ? "; steps are not accepted here" : "")})";
    }

    // Slurm ids are 32-bit: at most 10 digits per number. Steps: a number or a name (batch, extern, interactive, TaskProlog).
    [GeneratedRegex(@"^(?<job>[0-9]{1,10})(_((?<task>[0-9]{1,10})|(?<range>\[[0-9,%\-]{1,40}\])))?(\+(?<het>[0-9]{1,10}))?(\.(?<step>[0-9]{1,10}|[A-Za-z][A-Za-z0-9_]{0,30}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Which of Slurm's id forms an entry accepts besides jobs, array tasks and heterogeneous components.</summary>
[Flags]
public enum JobIdForms
{
    /// <summary><c>123</c>, <c>123_4</c>, <c>123+1</c>.</summary>
    Job = 0,
    /// <summary>Also steps: <c>123.batch</c>, <c>123.0</c>.</summary>
    Steps = 1,
    /// <summary>Also pending array ranges as sacct prints them: <c>123_[1-5%2]</c>.</summary>
    ArrayRanges = 2,
}
