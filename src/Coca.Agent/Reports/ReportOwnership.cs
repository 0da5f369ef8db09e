using System.Runtime.InteropServices;

namespace Coca.Agent.Reports;

/// <summary>
/// <c>--reports-readable-by-owner</c>: a finished job's report files are given to the job's user (chown, mode 0400),
/// and the state and reports directories become 0711 so that the user can open a file whose name they know but list
/// nothing. Without it everything stays root's (0700/0600). A user unknown to this node keeps the report root's.
/// </summary>
internal sealed partial class ReportOwnership(Action<string> log)
{
    public const UnixFileMode TraversableDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerReadOnly = UnixFileMode.UserRead;
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);

    public void GiveToOwner(string user, params string[] files)
    {
        if (OperatingSystem.IsWindows()) return;
        if (UidOf(user) is not { } uid)
        {
            if (_unknown.Add(user)) log($"reports of user '{user}' stay root's: no such user on this node");
            return;
        }
        foreach (var file in files)
        {
            if (Chown(file, uid, uint.MaxValue) != 0) // gid -1: unchanged
            {
                log($"cannot give {file} to {user}: errno {Marshal.GetLastPInvokeError()}");
                continue;
            }
            File.SetUnixFileMode(file, OwnerReadOnly);
        }
    }

    private static uint? UidOf(string user)
    {
        if (string.IsNullOrEmpty(user)) return null;
        var entry = Getpwnam(user);
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; ... }: the uid follows two pointers.
        return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
    }

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Getpwnam(string name);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}
