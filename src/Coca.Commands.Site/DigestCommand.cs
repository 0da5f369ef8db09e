using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Feedback;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Core.Feedback;
using Coca.Storage;
using MailKit.Net.Smtp;
using MimeKit;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca digest</c>: one message per user who ran jobs in the period, by SMTP or into a folder as .eml files. A user
/// who opted out, is in an experiment's control arm, had a digest less than <c>[feedback] min_days</c> ago, or has no
/// address gets none, and the command says why; every message sent is logged.
/// </summary>
internal static class DigestCommand
{
    public const string Kind = "digest";

    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var week = new Option<string?>("--week") { Description = "The ISO week, YYYY-Www (default: last week)", HelpName = "WEEK" };
        var since = new Option<string?>("--since") { Description = "Instead of --week: from this date", HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = "Instead of --week: until this date (exclusive)", HelpName = "DATE" };
        var smtp = new Option<string?>("--smtp") { Description = "Send through this SMTP server, HOST:PORT", HelpName = "HOST:PORT" };
        var from = new Option<string?>("--from") { Description = "The sender's address (with --smtp)", HelpName = "ADDR" };
        var toDir = new Option<string?>("--to-dir") { Description = "Write each message to DIR/USER-PERIOD.eml instead of sending it", HelpName = "DIR" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say who would get a digest, send and log nothing" };
        var json = new Option<bool>("--json") { Description = "Print {\"since\", \"until\", \"sent\": [...], \"skipped\": [{\"user\", \"reason\"}]} on stdout" };
        var command = new Command("digest", """
            The weekly digest: to each user who ran jobs in the period, their totals, energy per day (a plot), their costliest
            behaviours with tips. Throttled by [feedback] min_days; none to users who opted out or are an experiment's control.
            Addresses: [feedback] users_file, else user@[feedback] email_domain. Admins only.
            """);
        foreach (var o in new Option[] { week, since, until, smtp, from, toDir, dryRun, json }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            if (AccessScope.UserFilter(null, settings, Environment.UserName) is not null) throw new UsageException($"the digest writes to every user: admins only, not {Environment.UserName}");
            var (start, end) = Period(parse.GetValue(week), parse.GetValue(since), parse.GetValue(until), DateTimeOffset.UtcNow);
            var dir = parse.GetValue(toDir);
            var server = parse.GetValue(smtp);
            var sender = parse.GetValue(from);
            if ((dir is null) == (server is null)) throw new UsageException("give either --smtp HOST:PORT --from ADDR or --to-dir DIR");
            (string Host, int Port)? endpoint = server is null ? null : MailDelivery.Endpoint(server, "--smtp");
            if (server is not null && (sender is null || !MailboxAddress.TryParse(sender, out _))) throw new UsageException("--smtp needs --from ADDR, an e-mail address");
            var dry = parse.GetValue(dryRun);
            if (!FeedbackSettings.ChannelsOn(settings).Contains(FeedbackChannels.Digest)) throw new UsageException("[feedback] channels leaves out digest");
            var addresses = new MailAddresses(settings.String(FeedbackSettings.UsersFile, null), settings.String(FeedbackSettings.EmailDomain, null));
            var minInterval = FeedbackSettings.MinInterval(settings);
            var publicUrl = ServerSettings.PublicBase(settings);

            using var s = dry ? store.OpenForReading(parse, settings) : store.Open(parse, settings);
            var now = DateTimeOffset.UtcNow;
            var optedOut = s.Feedback.OptedOut();
            var sent = new List<DigestSentJson>();
            var skipped = new List<DigestSkippedJson>();
            var digests = DigestData.Read(s, start, end, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings), publicUrl);
            using var client = endpoint is null || dry ? null : new SmtpClient();
            foreach (var d in digests)
            {
                var (noTips, arm) = FeedbackAudience.Of(s.Feedback, d.User, now, optedOut);
                var address = addresses.Of(d.User);
                var reason = noTips
                    ?? (s.Feedback.LastDelivery(d.User, Kind) is { } last && now - last < minInterval ? string.Create(CultureInfo.InvariantCulture, $"had one {last:yyyy-MM-dd HH:mm}Z, under min_days")
                    : address is null ? "no address ([feedback] users_file or email_domain)"
                    : null);
                if (reason is not null)
                {
                    skipped.Add(new DigestSkippedJson(d.User, reason));
                    continue;
                }
                var message = Message(d, sender ?? "coca@localhost", address!);
                var period = $"{d.From:yyyy-MM-dd}..{d.To:yyyy-MM-dd}";
                var target = address!;
                if (!dry)
                {
                    if (dir is not null)
                    {
                        Directory.CreateDirectory(dir);
                        target = Path.Combine(dir, $"{d.User}-{d.From:yyyy-MM-dd}.eml");
                        message.WriteTo(target);
                    }
                    else
                    {
                        Send(client!, endpoint!.Value, message);
                    }
                    s.Feedback.Record(new FeedbackDelivery
                    {
                        User = d.User, Channel = FeedbackChannels.Digest, Kind = Kind, SentAt = now, Period = period,
                        Findings = [.. d.Findings.Take(DigestRender.TopFindings).Select(f => f.Kind)], Experiment = arm?.Experiment, Arm = arm?.Arm, Target = target,
                    });
                }
                sent.Add(new DigestSentJson(d.User, target, [.. d.Findings.Take(DigestRender.TopFindings).Select(f => f.Kind)]));
            }
            client?.Disconnect(true);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new DigestRunJson(start, end, dry, sent, skipped), SiteJsonContext.Relaxed.DigestRunJson));
            }
            else
            {
                Console.Out.WriteLine($"{(dry ? "would send" : "sent")} {sent.Count} digest(s), skipped {skipped.Count}, for {start:yyyy-MM-dd}..{end:yyyy-MM-dd}");
                foreach (var k in skipped) Console.Out.WriteLine($"  skipped {k.User}: {k.Reason}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // A server that cannot be reached or refuses is one line; the digests already sent stay sent and logged.
    private static void Send(SmtpClient client, (string Host, int Port) endpoint, MimeMessage message)
    {
        try
        {
            if (!client.IsConnected) client.Connect(endpoint.Host, endpoint.Port, MailKit.Security.SecureSocketOptions.Auto);
            client.Send(message);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or MailKit.CommandException or MailKit.ProtocolException or MailKit.Security.AuthenticationException)
        {
            throw new CommandFailedException($"SMTP {endpoint.Host}:{endpoint.Port}: {e.Message}");
        }
    }

    private static MimeMessage Message(DigestModel d, string from, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = DigestRender.Subject(d);
        var body = new BodyBuilder { TextBody = DigestRender.Text(d) };
        var plot = body.LinkedResources.Add("energy-per-day.png", DigestPlotPng.Render(d), new ContentType("image", "png"));
        plot.ContentId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        body.HtmlBody = DigestRender.Html(d, plot.ContentId);
        message.Body = body.ToMessageBody();
        return message;
    }

    internal static (DateTimeOffset From, DateTimeOffset To) Period(string? week, string? since, string? until, DateTimeOffset now)
    {
        if (week is not null)
        {
            if (since is not null || until is not null) throw new UsageException("--week or --since/--until, not both");
            var parts = week.Split("-W");
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
                || y is < 2000 or > 9999 || w < 1 || w > ISOWeek.GetWeeksInYear(y))
            {
                throw new UsageException($"--week '{week}' is not an ISO week, YYYY-Www (e.g. 2026-W09)");
            }
            var monday = new DateTimeOffset(ISOWeek.ToDateTime(y, w, DayOfWeek.Monday), TimeSpan.Zero);
            return (monday, monday.AddDays(7));
        }
        if (since is not null || until is not null)
        {
            var from = JobsCommands.Date(since, "--since") ?? throw new UsageException("--until needs --since");
            var to = JobsCommands.Date(until, "--until") ?? now;
            return to > from ? (from, to) : throw new UsageException("--until must come after --since");
        }
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var thisMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return (thisMonday.AddDays(-7), thisMonday);
    }
}
