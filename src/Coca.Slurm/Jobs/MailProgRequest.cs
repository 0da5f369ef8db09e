using System.Text.RegularExpressions;
using Coca.Core.Jobs;

namespace Coca.Slurm.Jobs;

/// <summary>
/// One call of Slurm's <c>MailProg</c>: slurmctld runs <c>MailProg -s SUBJECT RECIPIENT</c> (mail(1)'s layout) with
/// the job in its environment (Slurm ≥ 21.08: <c>SLURM_JOB_ID</c>, <c>SLURM_JOB_USER</c>, <c>SLURM_JOB_STATE</c>,
/// <c>SLURM_JOB_MAIL_TYPE</c>, <c>SLURM_ARRAY_JOB_ID</c>, …). Older Slurm sets none of these: the subject
/// (<c>Slurm Job_id=123 Name=train Ended, Run time 00:10:00, COMPLETED, ExitCode 0</c>) then says the same.
/// </summary>
public sealed partial record MailProgRequest
{
    public required string Subject { get; init; }

    /// <summary>Who Slurm mails: the job's <c>--mail-user</c>, an address or a user name. Never empty.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>Slurm's mail type as it words it: <c>Began</c>, <c>Ended</c>, <c>Failed</c>, <c>Requeued</c>, …; null when unknown.</summary>
    public string? MailType { get; init; }

    /// <summary>The job the mail is about, as the store looks it up (an array's id for an array summary); null when unknown or not a Slurm id.</summary>
    public string? JobId { get; init; }

    /// <summary>The mail summarises a whole job array (<c>Slurm Array Summary Job_id=123_*</c>).</summary>
    public bool ArraySummary { get; init; }

    public string? User { get; init; }

    /// <summary>The job has ended: Slurm's END and FAIL mails (a requeue, a start or a time-limit warning are not its end).</summary>
    public bool EndOfJob => MailType is "Ended" or "Failed";

    // mail(1)'s and mailx's options that take a value; any other option is a flag. Unknown ones are tolerated, never fatal:
    // a MailProg that refuses its arguments loses Slurm's mail.
    private static readonly HashSet<char> WithValue = ['s', 'c', 'b', 'r', 'a', 'A', 'S', 'q', 'u', 'T', 'M', 'C'];

    /// <summary>Reads MailProg's arguments and environment; throws <see cref="ArgumentException"/> when no recipient was given.</summary>
    public static MailProgRequest Parse(IReadOnlyList<string> args, Func<string, string?> env)
    {
        string? subject = null;
        var recipients = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                recipients.AddRange(args.Skip(i + 1).Where(r => r.Length > 0));
                break;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                if (!WithValue.Contains(a[1])) continue;
                var value = a.Length > 2 ? a[2..] : i + 1 < args.Count ? args[++i] : "";
                if (a[1] == 's') subject = value;
                continue;
            }
            if (a.Length > 0) recipients.Add(a);
        }
        if (recipients.Count == 0) throw new ArgumentException("no recipient: MailProg is called as MailProg -s SUBJECT RECIPIENT");
        subject ??= "";
        string? Get(string key) => env(key) is { Length: > 0 } v ? v : null;

        var fromSubject = SubjectPattern().Match(subject);
        var summary = subject.StartsWith("Slurm Array Summary", StringComparison.Ordinal);
        var mailType = Get("SLURM_JOB_MAIL_TYPE") ?? (fromSubject.Success ? fromSubject.Groups["type"].Value : null);
        // An array summary is about the array: its id, whatever task's record Slurm sent it from.
        var id = summary
            ? Get("SLURM_ARRAY_JOB_ID") ?? (fromSubject.Success ? fromSubject.Groups["id"].Value.Split('_')[0] : null)
            : Get("SLURM_JOB_ID") ?? (fromSubject.Success ? fromSubject.Groups["id"].Value : null);
        return new MailProgRequest
        {
            Subject = subject,
            Recipients = recipients,
            MailType = mailType,
            JobId = Core.Jobs.JobId.IsValid(id) ? id : null,
            ArraySummary = summary,
            User = Get("SLURM_JOB_USER"),
        };
    }

    // "Slurm Job_id=123 Name=a b Ended, Run time …", "Slurm Array Task Job_id=123_4 (130) Name=x Failed, …",
    // "Slurm Array Summary Job_id=123_* (123) Name=x Ended, COMPLETED, ExitCode [0-0]": the name may hold spaces, so the
    // mail type is the last of Slurm's words before a comma or the end (the greedy middle).
    [GeneratedRegex(@"^Slurm (Array (Task|Summary) )?Job_id=(?<id>[0-9]+(_([0-9]+|\*))?) (.* )?(?<type>Began|Ended|Failed|Requeued|Invalid dependency|StageOut/Teardown|Reached (time limit|[0-9]+% of time limit))(,|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();
}
