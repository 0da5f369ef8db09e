using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;

namespace Coca.Commands.Site;

/// <summary>The site commands, as the full edition of <c>coca</c> takes them.</summary>
public static class SiteCommands
{
    // The configuration file's [server], [site], [store], [behaviours], [embodied] and [feedback] keys are read in this edition: not unknown.
    static SiteCommands() => KnownSettings.Register([.. ServerSettings.All, .. SiteSettings.All, .. StoreSettings.All, .. BehaviourSettings.All, .. EmbodiedSettings.All, .. FeedbackSettings.All]);

    /// <summary>jobs, job, users, store, server and token, in the order <c>coca --help</c> lists them.</summary>
    public static IEnumerable<Command> Create() =>
    [
        JobsCommands.Jobs(),
        JobsCommands.Job(),
        JobsCommands.Users(),
        BehavioursCommand.Create(),
        FindingsCommand.Create(),
        MetricsCommand.Create(),
        TradeoffCommand.Create(),
        FeedbackCommand.Create(),
        MotdCommand.Create(),
        DigestCommand.Create(),
        ExperimentCommands.Experiment(),
        ExperimentCommands.Receptiveness(),
        StoreCommand.Create(),
        ServerCommands.Server(),
        ServerCommands.Token(),
        SimulateCommand.Create(),
        ExtrapolateCommand.Create(),
        DemoCommand.Create(),
    ];

    /// <summary>The login edition (<c>coca-motd</c>): <paramref name="root"/> is <c>coca motd</c> itself, and the binary has nothing else.</summary>
    public static void LoginBanner(RootCommand root) => MotdCommand.Configure(root);

    /// <summary>import-sacct and sync, the subcommands of <c>coca slurm</c> that fill the store, and mail (Slurm's MailProg), which reads it.</summary>
    public static IEnumerable<Command> SlurmAccounting() => [ImportSacctCommand.Create(), SyncCommand.Create(), SlurmMailCommand.Create()];

    /// <summary>The local history of <c>coca run</c> and <c>coca track</c>, and <c>coca runs</c> to list it.</summary>
    public static RunHistoryExtensions RunHistory() => RunsCommand.Extensions();

    /// <summary>The store's part of <c>coca carbon</c>: <c>series import</c>, <c>recompute</c>, and the hourly figure for <c>--at</c>.</summary>
    public static CarbonExtensions Carbon() => new([CarbonSeriesCommand.Create(), CarbonRecomputeCommand.Create()], CarbonRecomputeCommand.At);
}
