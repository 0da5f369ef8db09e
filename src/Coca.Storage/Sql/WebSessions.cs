using System.Security.Cryptography;
using System.Text;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// The dashboard's sign-in: one-time login links redeemed for browser sessions. Only hashes of the secrets are kept,
/// so a copy of the store signs nobody in; a link works once, and both expire.
/// </summary>
internal sealed class WebSessions(SqlSession sql)
{
    private const string Login = "login";
    private const string Session = "session";

    public string IssueLogin(string role, string subject, TimeSpan ttl)
    {
        if (role is not (TokenRoles.User or TokenRoles.Admin) && ManagerRole.Account(role) is null)
        {
            throw new ArgumentException($"a login link is for a user, an admin or an account's manager, not '{role}'");
        }
        if (ttl <= TimeSpan.Zero) throw new ArgumentException("a login link must live a while");
        var secret = NewSecret();
        var now = NowMs();
        sql.InTransaction(() =>
        {
            sql.Execute("DELETE FROM web_sessions WHERE expires_ms < @now", ("now", now));
            sql.Execute("INSERT INTO web_sessions (hash, kind, role, subject, csrf, expires_ms, used) VALUES (@h, @k, @r, @s, NULL, @e, 0)",
                ("h", Hash(secret)), ("k", Login), ("r", role), ("s", subject), ("e", now + (long)ttl.TotalMilliseconds));
        });
        return secret;
    }

    public WebSession? Redeem(string loginSecret, TimeSpan sessionTtl)
    {
        if (string.IsNullOrEmpty(loginSecret)) return null;
        WebSession? session = null;
        var now = NowMs();
        sql.InTransaction(() =>
        {
            // The UPDATE is the claim: of two browsers racing on one link, one changes the row and the other finds it used.
            var claimed = sql.Execute("UPDATE web_sessions SET used = 1 WHERE hash = @h AND kind = @k AND used = 0 AND expires_ms >= @now",
                ("h", Hash(loginSecret)), ("k", Login), ("now", now));
            if (claimed == 0) return;
            var (role, subject) = sql.Rows("SELECT role, subject FROM web_sessions WHERE hash = @h", ("h", Hash(loginSecret)))
                .Select(r => (r.GetString(0), r.GetString(1))).First();
            var secret = NewSecret();
            var csrf = NewSecret();
            var expires = now + (long)sessionTtl.TotalMilliseconds;
            sql.Execute("INSERT INTO web_sessions (hash, kind, role, subject, csrf, expires_ms, used) VALUES (@h, @k, @r, @s, @c, @e, 0)",
                ("h", Hash(secret)), ("k", Session), ("r", role), ("s", subject), ("c", csrf), ("e", expires));
            session = new WebSession(secret, role, subject, csrf, FromMs(expires)!.Value);
        });
        return session;
    }

    public WebSession? Find(string sessionSecret)
    {
        if (string.IsNullOrEmpty(sessionSecret)) return null;
        return sql.Rows("SELECT role, subject, csrf, expires_ms FROM web_sessions WHERE hash = @h AND kind = @k AND expires_ms >= @now",
                ("h", Hash(sessionSecret)), ("k", Session), ("now", NowMs()))
            .Select(r => new WebSession(sessionSecret, r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3))!.Value))
            .FirstOrDefault();
    }

    public bool End(string sessionSecret) =>
        !string.IsNullOrEmpty(sessionSecret) && sql.Execute("DELETE FROM web_sessions WHERE hash = @h AND kind = @k", ("h", Hash(sessionSecret)), ("k", Session)) > 0;

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
