using System.Security.Cryptography;
using System.Text;

namespace Coca.Agent.Metrics;

/// <summary>
/// HTTP basic authentication against bcrypt hashes (Prometheus' <c>basic_auth_users</c>). bcrypt costs tens of
/// milliseconds by design: an <c>Authorization</c> header that passed once is remembered (a few of them, compared in
/// constant time), so that a scrape every few seconds pays for it once and allocates nothing after.
/// </summary>
internal sealed class BasicAuth(IReadOnlyDictionary<string, string> users)
{
    private const int Remembered = 8;
    private readonly byte[]?[] _passed = new byte[Remembered][];
    private readonly Lock _gate = new();
    private int _next;

    /// <summary>False: no users, nobody is asked for a password (and the page is coarse).</summary>
    public bool Required => users.Count > 0;

    /// <summary>True when the request head carries the credentials of a configured user.</summary>
    public bool Allows(ReadOnlySpan<byte> head)
    {
        var value = Header(head, "authorization:"u8);
        if (value.IsEmpty) return false;
        lock (_gate)
        {
            foreach (var known in _passed)
            {
                if (known is not null && known.Length == value.Length && CryptographicOperations.FixedTimeEquals(known, value)) return true;
            }
        }
        if (!Verify(value)) return false;
        lock (_gate)
        {
            _passed[_next] = value.ToArray();
            _next = (_next + 1) % Remembered;
        }
        return true;
    }

    // The slow path, once per credentials: "Basic base64(user:password)" checked with bcrypt.
    private bool Verify(ReadOnlySpan<byte> value)
    {
        if (value.Length < 7 || !System.Text.Ascii.EqualsIgnoreCase(value[..6], "Basic "u8)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Encoding.ASCII.GetString(value[6..]).Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !users.TryGetValue(decoded[..colon], out var hash)) return false;
        try
        {
            return BCrypt.Net.BCrypt.Verify(decoded[(colon + 1)..], hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>The value of a header (name with its colon, lower case), trimmed; empty when absent.</summary>
    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        while (!head.IsEmpty)
        {
            var end = head.IndexOf("\r\n"u8);
            var line = end < 0 ? head : head[..end];
            if (line.Length > name.Length && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name)) return line[name.Length..].Trim((byte)' ');
            if (end < 0) break;
            head = head[(end + 2)..];
        }
        return default;
    }
}
