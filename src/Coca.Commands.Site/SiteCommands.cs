using System.CommandLine;

namespace Coca.Commands.Site;

/// <summary>The site commands, as the full edition of <c>coca</c> takes them.</summary>
public static class SiteCommands
{
    /// <summary>jobs, job, users, store, server and token, in the order <c>coca --help</c> lists them.</summary>
    public static IEnumerable<Command> Create() =>
    [
        JobsCommands.Jobs(),
        JobsCommands.Job(),
        JobsCommands.Users(),
        StoreCommand.Create(),
        ServerCommands.Server(),
        ServerCommands.Token(),
    ];

    /// <summary>import-sacct and sync: the subcommands of <c>coca slurm</c> that fill the store.</summary>
    public static IEnumerable<Command> SlurmAccounting() => [ImportSacctCommand.Create(), SyncCommand.Create()];
}
