using System.CommandLine;
using Coca.Commands.Site;

namespace Coca.Cli.Editions;

/// <summary>
/// The login edition (<c>-p:CocaEdition=login</c>, the binary <c>coca-motd</c>): the login banner alone, for
/// /etc/profile.d on login nodes. It runs at every login with a 100 ms budget, and a NativeAOT binary's start grows
/// with all it carries: the full edition brings the server, mail and plotting libraries that the banner never uses.
/// </summary>
internal static class Edition
{
    public static void AddCommands(RootCommand root) => SiteCommands.LoginBanner(root);
}
