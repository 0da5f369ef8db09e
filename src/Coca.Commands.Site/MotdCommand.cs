using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Feedback;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca motd</c>: the login banner (deploy/profile.d/coca-motd.sh runs it). A login must never fail or wait on
/// it: when the store cannot be read, or the motd channel is off, it prints nothing and exits 0.
/// </summary>
internal static class MotdCommand
{
    private const string Description = """
        The login banner: your last 5 jobs (node, id, start, duration, energy, gCO2e with the PUE), the last 7 days against
        your four weeks before, and one tip from your own jobs' behaviours. At most 12 lines; silent when the store cannot be read.
        """;

    public static Command Create() => Configure(new Command("motd", Description));

    /// <summary>
    /// The banner's options and action on <paramref name="command"/>: <c>coca motd</c>, or the root of the login edition
    /// (<c>coca-motd</c>, <c>-p:CocaEdition=login</c>), whose binary has nothing else and so starts in a fraction of the time.
    /// </summary>
    public static Command Configure(Command command)
    {
        if (command is RootCommand) command.Description = Description;
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var user = new Option<string?>("--user") { Description = "Whose banner (others than yours: admins only)", HelpName = "USER" };
        command.Options.Add(user);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var who = AccessScope.UserFilter(parse.GetValue(user), settings, Environment.UserName) ?? Environment.UserName;
            if (!FeedbackSettings.ChannelsOn(settings).Contains(FeedbackChannels.Motd)) return ExitCodes.Success;
            IReadOnlyList<string> lines;
            FeedbackDelivery? toLog;
            try
            {
                using var s = store.OpenForReading(parse, settings);
                (lines, toLog) = BannerData.Build(s, who, DateTimeOffset.UtcNow, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings));
            }
            catch (Exception e) when (Unreachable(e))
            {
                return ExitCodes.Success;
            }
            foreach (var line in lines) Console.Out.WriteLine(line);
            if (toLog is not null) Log(store, parse, settings, toLog);
            return ExitCodes.Success;
        });
        return command;
    }

    // Logged with a second, writable connection, opened only when a tip is new today; a user who may not write the store still gets the banner.
    private static void Log(StoreOptions store, ParseResult parse, Node.Config.CocaSettings settings, FeedbackDelivery delivery)
    {
        try
        {
            using var s = store.Open(parse, settings);
            s.Feedback.Record(delivery);
        }
        catch (Exception e) when (Unreachable(e))
        {
        }
    }

    private static bool Unreachable(Exception e) =>
        e is StoreUnavailableException or StoreSchemaException or System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException;
}
