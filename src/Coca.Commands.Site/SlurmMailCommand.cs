using System.CommandLine;
using System.Net;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Feedback;
using Coca.Slurm.Jobs;
using Coca.Storage;
using MimeKit;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca slurm mail</c>: Slurm's <c>MailProg</c>. Sends Slurm's mail as it came, with the job's report appended when
/// the mail is an end-of-job one (END, FAIL) and <c>[feedback] channels</c> has <c>mail</c>. Slurm's own mail is never
/// lost: when the report cannot be built (the store is down, the job is not in it) the mail goes without it and one
/// line on stderr says why; only a mail that could not be sent at all exits 1 (slurmctld logs MailProg's output).
/// </summary>
internal static class SlurmMailCommand
{
    public const string Kind = "report";
    private static readonly TimeSpan StdinWait = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        // MailProg's arguments as mail(1) takes them (-s SUBJECT RECIPIENT...), unknown options included: never refused.
        var mailArgs = new Argument<string[]>("mail-arguments") { Arity = ArgumentArity.ZeroOrMore, Description = "What slurmctld passes: -s SUBJECT RECIPIENT" };
        var command = new Command("mail", """
            Slurm's MailProg (slurm.conf: MailProg=/etc/slurm/coca-mailprog.sh, deploy/slurm/mailprog.sh, which runs coca slurm mail "$@"):
            sends Slurm's mail, with the job's Coca4ai report appended to its end-of-job mails (END, FAIL) when [feedback]
            channels has mail. Through [feedback] smtp, else [feedback] mail_command. Slurm's mail is sent even when the
            report cannot be built (one line on stderr says why).
            """) { TreatUnmatchedTokensAsErrors = false };
        command.Arguments.Add(mailArgs);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            MailProgRequest request;
            try
            {
                request = MailProgRequest.Parse([.. parse.GetValue(mailArgs) ?? [], .. parse.UnmatchedTokens], Environment.GetEnvironmentVariable);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var body = ReadBody();
            var report = request.EndOfJob && request.JobId is { } id && Wanted(settings) ? Report(store, parse, settings, id, request.ArraySummary) : null;

            var message = Message(request, body, report?.Text, settings);
            var via = MailDelivery.Send(message, settings);
            if (report is not null) Log(store, parse, settings, report, string.Join(",", message.To.Mailboxes.Select(m => m.Address)), via);
            return ExitCodes.Success;
        });
        return command;
    }

    // A bad [feedback] channels must not lose Slurm's mail: it goes without the report.
    private static bool Wanted(CocaSettings settings)
    {
        try
        {
            return FeedbackSettings.ChannelsOn(settings).Contains(FeedbackChannels.Mail);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"coca slurm mail: no report added: {e.Message}");
            return false;
        }
    }

    private static JobMailReport? Report(StoreOptions store, ParseResult parse, CocaSettings settings, string jobId, bool array)
    {
        try
        {
            using var s = store.OpenForReading(parse, settings);
            var (report, why) = JobMailReports.Build(s, jobId, array, settings, TimeSpan.FromSeconds(settings.Double(FeedbackSettings.MailWait, null)!.Value), TimeProvider.System);
            if (report is null) Console.Error.WriteLine($"coca slurm mail: no report added: {why}");
            return report;
        }
        catch (Exception e) when (e is CommandFailedException or UsageException or StoreSchemaException or System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"coca slurm mail: no report added for job {jobId}: {e.Message}");
            return null;
        }
    }

    private static MimeMessage Message(MailProgRequest request, string body, string? report, CocaSettings settings)
    {
        var message = new MimeMessage();
        var from = settings.String(FeedbackSettings.MailFrom, null) ?? $"{Environment.UserName}@{Dns.GetHostName()}";
        message.From.Add(MailboxAddress.TryParse(from, out var sender) ? sender : throw new UsageException($"[feedback] mail_from '{from}' is not an e-mail address"));
        foreach (var r in request.Recipients)
        {
            message.To.Add(MailboxAddress.TryParse(Address(r, settings), out var to) ? to : throw new UsageException($"recipient '{r}' is not an e-mail address or a user name"));
        }
        message.Subject = request.Subject;
        var text = report is null ? body : (body.Length > 0 ? body.TrimEnd('\n') + "\n\n" : "") + report;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    // Slurm passes --mail-user, by default the user's name: given an address book ([feedback] users_file, email_domain)
    // a name becomes the user's address; else it stays a local name, as /bin/mail would deliver it.
    private static string Address(string recipient, CocaSettings settings)
    {
        if (recipient.Contains('@', StringComparison.Ordinal)) return recipient;
        try
        {
            return new MailAddresses(settings.String(FeedbackSettings.UsersFile, null), settings.String(FeedbackSettings.EmailDomain, null)).Of(recipient) ?? recipient;
        }
        catch (Exception e) when (e is UsageException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"coca slurm mail: {recipient} kept as a local name: {e.Message}");
            return recipient;
        }
    }

    // Slurm gives MailProg no body; a wrapper may pipe one. A stdin left open is not waited on for ever.
    private static string ReadBody()
    {
        if (!Console.IsInputRedirected) return "";
        var read = Console.In.ReadToEndAsync();
        return read.Wait(StdinWait) ? read.Result : "";
    }

    // The mail is sent: a log that cannot be written is one line, and the exit stays 0 (Slurm must not retry a sent mail).
    private static void Log(StoreOptions store, ParseResult parse, CocaSettings settings, JobMailReport report, string target, string via)
    {
        try
        {
            using var s = store.Open(parse, settings);
            s.Feedback.Record(new FeedbackDelivery
            {
                User = report.User, Channel = FeedbackChannels.Mail, Kind = Kind, SentAt = DateTimeOffset.UtcNow, JobIdRaw = report.JobIdRaw,
                Findings = report.FindingKinds, Experiment = report.Arm?.Experiment, Arm = report.Arm?.Arm, Target = target,
            });
        }
        catch (Exception e) when (e is CommandFailedException or StoreSchemaException or System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"coca slurm mail: sent through {via}, not logged: {e.Message}");
        }
    }
}
