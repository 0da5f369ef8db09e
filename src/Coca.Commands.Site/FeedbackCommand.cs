using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Output;
using Coca.Commands.Site.Output;
using Coca.Storage;
using Spectre.Console;

namespace Coca.Commands.Site;

/// <summary><c>coca feedback log|opt-out|opt-in</c>: what feedback each user was given, and who wants none.</summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var command = new Command("feedback", "The feedback log (every job report, banner and digest delivered), and opting out of digests and tips");
        command.Subcommands.Add(Log());
        command.Subcommands.Add(Opt("opt-out", "Send this user no more digests or behaviour tips (the plain job report stays)", optOut: true));
        command.Subcommands.Add(Opt("opt-in", "Undo opt-out: this user gets digests and tips again", optOut: false));
        return command;
    }

    private static Command Log()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var user = new Option<string?>("--user") { Description = "Only this user's deliveries (others than yours: admins only)", HelpName = "USER" };
        var json = new Option<bool>("--json") { Description = "Print {\"deliveries\": [...]} on stdout, newest first" };
        var command = new Command("log", "Every piece of feedback delivered: when, to whom, through which channel, naming which behaviours, in which experiment arm");
        command.Options.Add(user);
        command.Options.Add(json);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var who = AccessScope.UserFilter(parse.GetValue(user), settings, Environment.UserName);
            using var s = store.OpenForReading(parse, settings);
            var deliveries = s.Feedback.Deliveries(who);
            if (parse.GetValue(json))
            {
                var rows = deliveries.Select(d => new DeliveryJson(d.User, d.Channel, d.Kind, d.SentAt, d.JobIdRaw, d.Period, d.Findings, d.Experiment, d.Arm, d.Target));
                Console.Out.WriteLine(JsonSerializer.Serialize(new FeedbackLogJson([.. rows]), SiteJsonContext.Relaxed.FeedbackLogJson));
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Simple);
            foreach (var c in new[] { "sent (UTC)", "user", "channel", "kind", "job / period", "findings", "arm", "to" }) table.AddColumn(c);
            foreach (var d in deliveries)
            {
                table.AddRow(Markup.Escape(d.SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), Markup.Escape(d.User), d.Channel, d.Kind,
                    Markup.Escape(d.JobIdRaw ?? d.Period ?? "-"), Markup.Escape(d.Findings.Count == 0 ? "-" : string.Join(",", d.Findings)),
                    Markup.Escape(d.Arm is null ? "-" : $"{d.Experiment}:{d.Arm}"), Markup.Escape(d.Target ?? "-"));
            }
            Terminal.Out.Write(table);
            Terminal.Out.MarkupLine($"[grey]{deliveries.Count:N0} deliveries[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Opt(string name, string description, bool optOut)
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var user = new Argument<string>("USER") { Description = "The user (others than yourself: admins only)" };
        var command = new Command(name, description);
        command.Arguments.Add(user);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var who = AccessScope.UserFilter(parse.GetValue(user), settings, Environment.UserName)!;
            using var s = store.Open(parse, settings);
            var changed = optOut ? s.Feedback.OptOut(who, DateTimeOffset.UtcNow) : s.Feedback.OptIn(who);
            Console.Out.WriteLine(optOut
                ? changed ? $"{who} opted out of digests and tips" : $"{who} had already opted out"
                : changed ? $"{who} opted in again" : $"{who} had not opted out");
            return ExitCodes.Success;
        });
        return command;
    }

}
