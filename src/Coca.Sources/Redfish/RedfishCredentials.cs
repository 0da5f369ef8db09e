namespace Coca.Sources.Redfish;

/// <summary>
/// A BMC's user and password, read from a file of one line <c>user:password</c> that only its owner may read (0600 or
/// stricter): a password readable by the node's users would let any of them power the node off. Never printed.
/// </summary>
public sealed class RedfishCredentials
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public RedfishCredentials(string user, string password)
    {
        User = user;
        Password = password;
    }

    public string User { get; }
    public string Password { get; }

    /// <summary>The credentials in <paramref name="path"/>; a <see cref="FormatException"/> with the reason (never the content) otherwise.</summary>
    public static RedfishCredentials Read(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"credentials file {path} does not exist");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
        {
            throw new FormatException($"credentials file {path} is readable by others than its owner: chmod 600 {path}");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read credentials file {path}: {e.GetType().Name}");
        }
        var line = text.Split('\n')[0].TrimEnd('\r');
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == line.Length - 1) throw new FormatException($"credentials file {path} must hold one line 'user:password'");
        return new RedfishCredentials(line[..colon], line[(colon + 1)..]);
    }

    public override string ToString() => $"{User}:***";
}
