using System.Net;
using System.Security.Cryptography;
using System.Text;
using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// Who is looking at a page: a browser session (the cookie a login link set), a user named by a trusted reverse proxy,
/// or an API token. <see cref="Csrf"/> is what a session's forms must carry back; null where no form is offered. A user
/// sees their own jobs, an account's manager (a login link's session only) the jobs of that Slurm account, an admin all.
/// </summary>
internal sealed record Viewer(string Role, string Subject, string? Csrf, string? SessionSecret)
{
    public const string Cookie = "coca_session";

    public bool IsAdmin => Role == TokenRoles.Admin;

    /// <summary>The Slurm account a manager's session is confined to; null for a user or an admin.</summary>
    public string? Account => ManagerRole.Account(Role);

    /// <summary>Whether the viewer sees other people's jobs (an admin everyone's, a manager their account's): pages then say whose.</summary>
    public bool SeesOthers => IsAdmin || Account is not null;

    /// <summary>The user a listing is confined to: the viewer's own name, or null for an admin (everyone) or a manager (their account's).</summary>
    public string? Scope => SeesOthers ? null : Subject;

    /// <summary>How the header names the viewer's reach.</summary>
    public string Reach => IsAdmin ? " (admin)" : Account is { } a ? $" (manager of {a})" : "";

    /// <summary>The jobs this viewer may list since a date: their own, their account's, or (admin) all; <paramref name="user"/> narrows a wider view.</summary>
    public JobQuery Jobs(DateTimeOffset? since, string? user = null) => new(User: Scope ?? user, Account: Account, Since: since);

    public bool MaySee(JobRow job) => IsAdmin || (Account is { } account ? job.Account == account : job.User == Subject);

    public bool CsrfMatches(string? sent) =>
        Csrf is not null && sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Csrf), Encoding.UTF8.GetBytes(sent));

    /// <summary>The viewer, or null when the request proves nobody (no session, no trusted header, no user or admin token).</summary>
    public static Viewer? Of(HttpContext http, IJobStore store, ServerOptions options, ILogger logger)
    {
        if (http.Request.Cookies.TryGetValue(Cookie, out var secret) && store.WebSession(secret) is { } session)
        {
            return new Viewer(session.Role, session.Subject, session.Csrf, secret);
        }
        if (options.TrustedUserHeader is { } header && http.Request.Headers.TryGetValue(header, out var named))
        {
            var remote = http.Connection.RemoteIpAddress;
            var user = named.ToString().Trim();
            if (remote is null || !options.TrustedProxies.Any(p => p.Equals(remote) || (remote.IsIPv4MappedToIPv6 && p.Equals(remote.MapToIPv4()))))
            {
                logger.LogWarning("ignored {Header} from {Remote}: not a trusted proxy", header, remote);
            }
            else if (user.Length is > 0 and <= 256 && !user.Any(char.IsControl))
            {
                return new Viewer(user == "root" || options.Admins.Contains(user) ? TokenRoles.Admin : TokenRoles.User, user, null, null);
            }
        }
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && store.Authenticate(authorization["Bearer ".Length..].Trim()) is { } token
            && token.Role is TokenRoles.User or TokenRoles.Admin)
        {
            return new Viewer(token.Role, token.Subject, null, null);
        }
        return null;
    }

    /// <summary>Trusted proxies as written in <c>[server] trusted_proxies</c>: IP addresses, comma-separated.</summary>
    public static IReadOnlyList<IPAddress> ParseProxies(string? text)
    {
        var list = new List<IPAddress>();
        foreach (var word in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPAddress.TryParse(word, out var address)) throw new ArgumentException($"trusted_proxies: '{word}' is not an IP address");
            list.Add(address);
        }
        return list;
    }
}
