namespace Coca.Storage;

/// <summary>
/// An account manager's dashboard role, <c>manager:ACCOUNT</c>: the account rides in the session's role so that no
/// schema change is needed, and the session's subject stays the person's name (shown, logged).
/// </summary>
public static class ManagerRole
{
    public const int MaxAccountLength = 64;

    /// <summary>The role of a manager of <paramref name="account"/>; an <see cref="ArgumentException"/> for a name Slurm would not give an account.</summary>
    public static string Of(string account) =>
        IsAccountName(account) ? TokenRoles.ManagerPrefix + account : throw new ArgumentException($"'{account}' is not a Slurm account name");

    /// <summary>The account a role manages, or null when the role is not a (well-formed) manager's.</summary>
    public static string? Account(string role) =>
        role.StartsWith(TokenRoles.ManagerPrefix, StringComparison.Ordinal) && role[TokenRoles.ManagerPrefix.Length..] is var a && IsAccountName(a) ? a : null;

    /// <summary>Slurm account characters only: ASCII letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; 1 to 64 of them.</summary>
    public static bool IsAccountName(string? name) =>
        name is { Length: > 0 and <= MaxAccountLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
