using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Site;

namespace Coca.Cli.Editions;

/// <summary>The full edition, the default build: the node commands and the site's (store, server, tokens).</summary>
internal static class Edition
{
    public static void AddCommands(RootCommand root)
    {
        foreach (var command in NodeCommands.Create(SiteCommands.SlurmAccounting(), SiteCommands.Carbon(), SiteCommands.RunHistory())) root.Subcommands.Add(command);
        foreach (var command in SiteCommands.Create()) root.Subcommands.Add(command);
    }
}
