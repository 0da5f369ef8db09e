using System.CommandLine;
using System.Globalization;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca token login-url</c>: a one-time link that signs a user, an admin or an account's manager into the dashboard,
/// as Jupyter prints one. The link's secret is stored hashed; it works once, within its lifetime.
/// </summary>
internal static class LoginUrlCommand
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(7);

    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var user = new Option<string?>("--user") { Description = "Whose dashboard: they see only their own jobs (with --manager: who the manager is)", HelpName = "USER" };
        var manager = new Option<string?>("--manager") { Description = "An account manager's sign-in: the jobs of this Slurm account, and only those", HelpName = "ACCOUNT" };
        var admin = new Option<bool>("--admin") { Description = "An admin's sign-in: every job, /users" };
        var ttl = new Option<string>("--ttl") { Description = "How long the link works: 30s, 10m, 2h, 1d (at most 7d)", HelpName = "TIME", DefaultValueFactory = _ => "10m" };
        var url = new Option<string?>("--url") { Description = "The server's address as the user's browser reaches it (default: [server] server_listen)", HelpName = "URL" };
        var command = new Command("login-url", "Print a one-time sign-in link for the dashboard (coca server's pages); it sets a session cookie and opens /.");
        command.Options.Add(user);
        command.Options.Add(admin);
        command.Options.Add(manager);
        command.Options.Add(ttl);
        command.Options.Add(url);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var role = Role(parse.GetValue(manager), parse.GetValue(admin));
            var name = (parse.GetValue(user) ?? parse.GetValue(manager))?.Trim()
                ?? throw new UsageException("login-url needs --user USER (or --manager ACCOUNT)");
            if (name.Length is 0 or > 256 || name.Any(char.IsControl)) throw new UsageException("--user: a user name of 1 to 256 characters, without control characters");
            var lifetime = Ttl(parse.GetValue(ttl)!);
            var settings = host.Settings(parse);
            var baseUrl = parse.GetValue(url) ?? ListenAddress.Url(settings.String(ServerSettings.Listen, null)!);
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--url {baseUrl}: an http:// or https:// address");
            }
            using var s = store.Open(parse, settings);
            s.Migrate();
            var secret = s.IssueLogin(role, name, lifetime);
            Console.Out.WriteLine(new Uri(root, "/login?token=" + Uri.EscapeDataString(secret)).AbsoluteUri);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The session's role: a manager's of the named account (checked before anything is stored), an admin's, or a user's.</summary>
    public static string Role(string? managedAccount, bool admin)
    {
        if (managedAccount is null) return admin ? TokenRoles.Admin : TokenRoles.User;
        if (admin) throw new UsageException("--manager and --admin: choose one (an admin already sees every account)");
        if (!ManagerRole.IsAccountName(managedAccount))
        {
            throw new UsageException($"--manager {managedAccount.ReplaceLineEndings(" ")}: a Slurm account name of 1 to {ManagerRole.MaxAccountLength} letters, digits, '_', '-' or '.'");
        }
        return ManagerRole.Of(managedAccount);
    }

    /// <summary><c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>; a bare number is minutes. From 1 second to 7 days.</summary>
    public static TimeSpan Ttl(string text)
    {
        text = text.Trim();
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'm';
        var number = char.IsAsciiLetter(text.LastOrDefault()) ? text[..^1] : text;
        var seconds = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
        if (seconds == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n)
            || n * seconds < 1 || n * seconds > MaxTtl.TotalSeconds)
        {
            throw new UsageException($"--ttl {text}: a time from 1s to 7d, e.g. 10m, 2h");
        }
        return TimeSpan.FromSeconds(n * seconds);
    }
}
