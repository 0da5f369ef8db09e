using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using static Coca.Storage.Sql.SqlTime;

namespace Coca.Storage.Sql;

/// <summary>
/// What the server needs to trust its callers: API tokens (only their SHA-256 is stored) and the record of
/// agents' batches already applied, which makes a replayed batch write nothing.
/// </summary>
internal sealed class TokensAndBatches(SqlSession sql)
{
    public string IssueToken(string role, string subject)
    {
        if (role is not (TokenRoles.Agent or TokenRoles.User or TokenRoles.Admin)) throw new ArgumentException($"unknown role '{role}'");
        var secret = "coca_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        sql.Execute("INSERT INTO tokens (token_id, hash, role, subject, created_ms, revoked) VALUES (@id, @hash, @role, @subject, @t, 0)",
            ("id", id), ("hash", Hash(secret)), ("role", role), ("subject", subject), ("t", NowMs()));
        return secret;
    }

    public TokenInfo? Authenticate(string secret)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        var token = sql.Rows("SELECT token_id, role, subject, created_ms, revoked FROM tokens WHERE hash = @hash", ("hash", Hash(secret))).Select(ReadToken).FirstOrDefault();
        return token is { Revoked: false } ? token : null;
    }

    public bool RevokeToken(string tokenId) => sql.Execute("UPDATE tokens SET revoked = 1 WHERE token_id = @id", ("id", tokenId)) > 0;

    public IReadOnlyList<TokenInfo> Tokens() =>
        sql.Rows("SELECT token_id, role, subject, created_ms, revoked FROM tokens ORDER BY created_ms").Select(ReadToken).ToList();

    /// <summary>The batch's number and its writes commit in one transaction: a batch that failed is not recorded, so its replay is applied.</summary>
    public bool TryRecordBatch(string agent, long sequence, Action write)
    {
        var recorded = false;
        sql.InTransaction(() =>
        {
            var rows = sql.Execute("INSERT INTO ingest_batches (agent, seq, received_ms) VALUES (@a, @s, @t) ON CONFLICT (agent, seq) DO NOTHING",
                ("a", agent), ("s", sequence), ("t", NowMs()));
            if (rows == 0) return;
            write();
            recorded = true;
        });
        return recorded;
    }

    private static TokenInfo ReadToken(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3))!.Value, r.GetInt64(4) != 0);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
