using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;

namespace Coca.Commands.Site;

/// <summary>
/// Whose findings a command-line run may see: root and the users of <c>[site] admins</c> see every user's; anyone
/// else sees their own (the user filter is theirs whether given or not; another user's is refused). The store's own
/// permissions remain the real boundary: this keeps a shared front-end from showing one user another's waste.
/// </summary>
internal static class AccessScope
{
    public static string? UserFilter(string? requested, CocaSettings settings, string runningUser)
    {
        var admins = (settings.String(SiteSettings.Admins, null) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (runningUser == "root" || admins.Contains(runningUser, StringComparer.Ordinal)) return requested;
        if (requested is not null && requested != runningUser)
        {
            throw new UsageException($"--user {requested}: you ({runningUser}) may see only your own findings; an admin (root or [site] admins) sees everyone's");
        }
        return runningUser;
    }
}
