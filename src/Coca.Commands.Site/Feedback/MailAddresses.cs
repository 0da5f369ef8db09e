using Coca.Commands.Node;

namespace Coca.Commands.Site.Feedback;

/// <summary>
/// Where a user's mail goes: their line in <c>[feedback] users_file</c> (<c>user,email</c>, <c>#</c> comments), else
/// <c>user@email_domain</c>, else nowhere (the digest skips them and says so). A malformed line is skipped alone.
/// </summary>
internal sealed class MailAddresses
{
    private readonly Dictionary<string, string> _file = new(StringComparer.Ordinal);
    private readonly string? _domain;

    public MailAddresses(string? usersFile, string? domain)
    {
        _domain = string.IsNullOrWhiteSpace(domain) ? null : domain.Trim().TrimStart('@');
        if (usersFile is null) return;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(usersFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"[feedback] users_file {usersFile}: {e.Message}");
        }
        foreach (var line in lines)
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var parts = text.Split(',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Length > 0 && MimeKit.MailboxAddress.TryParse(parts[1], out _)) _file[parts[0]] = parts[1];
            else Malformed++;
        }
    }

    /// <summary>Lines of the users file that were not <c>user,email</c>.</summary>
    public int Malformed { get; }

    public string? Of(string user) => _file.GetValueOrDefault(user) ?? (_domain is null ? null : $"{user}@{_domain}");
}
