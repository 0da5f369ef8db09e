using Coca.Commands.Node.Config;
using Coca.Commands.Node;
using Coca.Storage;

namespace Coca.Commands.Site.Config;

/// <summary><c>[feedback]</c>: which channels deliver feedback, how often a user may be written to, and where their mail goes.</summary>
public static class FeedbackSettings
{
    public const string Section = "feedback";

    public static readonly TextSetting Channels = new(Section, "channels", string.Join(",", FeedbackChannels.All)) { HasAlias = false }; // COCA_CHANNELS is the meter's

    /// <summary>Princeton's Job Defense Shield writes at most once a week per kind; so do we by default.</summary>
    public static readonly NumberSetting MinDays = new(Section, "min_days", 7) { Range = new NumberRange(0, 365, "days") };
    public static readonly TextSetting EmailDomain = new(Section, "email_domain", null, "none: addresses from users_file only");
    public static readonly TextSetting UsersFile = new(Section, "users_file", null, "none");


    /// <summary><c>coca slurm mail</c> sends through this SMTP server (MailKit) when set, else through <see cref="MailCommand"/>.</summary>
    public static readonly TextSetting Smtp = new(Section, "smtp", null, "none: mail_command");

    /// <summary>The local mailer, as Slurm's own MailProg (<c>/bin/mail</c>) would hand the mail to it: the message on stdin.</summary>
    public static readonly TextSetting MailCommand = new(Section, "mail_command", "/usr/sbin/sendmail -t -oi");

    public static readonly TextSetting MailFrom = new(Section, "mail_from", null, "the running user at this host (slurm@HOST under slurmctld)");

    /// <summary>
    /// Slurm mails at job end, often before the node agent has pushed the job's final figures: <c>coca slurm mail</c>
    /// waits up to this long for them (slurmctld gives MailProg two minutes at most).
    /// </summary>
    public static readonly NumberSetting MailWait = new(Section, "mail_wait", 30) { Range = new NumberRange(0, 90, "seconds") };

    public static IReadOnlyList<Setting> All { get; } = [Channels, MinDays, EmailDomain, UsersFile, Smtp, MailCommand, MailFrom, MailWait];

    /// <summary>The channels turned on; an unknown name is a usage error, not a channel silently off.</summary>
    public static IReadOnlySet<string> ChannelsOn(CocaSettings settings)
    {
        var names = (settings.String(Channels, null) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var n in names)
        {
            if (!FeedbackChannels.All.Contains(n)) throw new UsageException($"[feedback] channels: '{n}' is not one of {string.Join(", ", FeedbackChannels.All)}");
        }
        return names.ToHashSet(StringComparer.Ordinal);
    }

    public static TimeSpan MinInterval(CocaSettings settings) => TimeSpan.FromDays(settings.Double(MinDays, null)!.Value);
}
