namespace Coca.Storage;

/// <summary>
/// One piece of feedback delivered to a user, as <c>feedback_log</c> keeps it: what (a job, or the period a digest
/// covers), through which channel, of which kind, naming which behaviours, when, and the user's experiment arm then.
/// </summary>
public sealed record FeedbackDelivery
{
    public required string User { get; init; }

    /// <summary><see cref="FeedbackChannels"/>: <c>job_end</c>, <c>mail</c>, <c>motd</c>, <c>digest</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>What was sent: <c>report</c>, <c>digest</c>, <c>banner</c>. Throttling is per kind.</summary>
    public required string Kind { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public string? JobIdRaw { get; init; }

    /// <summary>A digest's period, <c>2026-03-02..2026-03-09</c>.</summary>
    public string? Period { get; init; }

    /// <summary>The behaviour kinds the message named (empty: none).</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];
    public string? Experiment { get; init; }
    public string? Arm { get; init; }

    /// <summary>Where it went: an address, a file; never the message itself.</summary>
    public string? Target { get; init; }
}

/// <summary>The channels feedback goes through (<c>[feedback] channels</c>).</summary>
public static class FeedbackChannels
{
    public const string JobEnd = "job_end";
    public const string Mail = "mail";
    public const string Motd = "motd";
    public const string Digest = "digest";

    public static IReadOnlyList<string> All { get; } = [JobEnd, Mail, Motd, Digest];
}

/// <summary>A user's arm in the experiment that applies at a time: the latest one started by then that assigned them.</summary>
public sealed record UserArm(string Experiment, string Arm);
