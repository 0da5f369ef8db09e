using System.Runtime.InteropServices;
using Coca.Agent.Files;

namespace Coca.Agent.Reports;

/// <summary>
/// Appends text to a file as a given user, never through a symlink: the agent runs as root and the path is the user's
/// to choose (<c>#SBATCH -o</c>), so a root open would let a user have root append to <c>/etc/passwd</c> by a link.
/// The open is done with the thread's filesystem uid and gid set to the user's (<c>setfsuid</c>/<c>setfsgid</c>:
/// per thread, which also drops root's file capabilities, and no fork in a multi-threaded process), with
/// <c>O_APPEND|O_NOFOLLOW|O_NOCTTY|O_NONBLOCK</c> (a FIFO without reader fails at once instead of hanging the agent);
/// the ids are restored before anything else runs on the thread. The opened file must then be a regular file owned by
/// the user. Linux only (x86-64 and arm64, whose <c>O_NOFOLLOW</c> differ).
/// </summary>
internal static partial class OutputAppender
{
    private const int OWronly = 0x1, OAppend = 0x400;

    /// <summary>Appends <paramref name="bytes"/> to <paramref name="path"/> as <paramref name="user"/>; returns null when done, else why not.</summary>
    public static string? Append(string path, string user, byte[] bytes)
    {
        if (!OperatingSystem.IsLinux()) return "only on Linux";
        if (!path.StartsWith('/')) return "not an absolute path";
        if (path.Contains('%')) return "an unexpanded Slurm file pattern";
        var noFollow = UserPlacedFile.NoFollow;
        if (noFollow == 0) return $"O_NOFOLLOW unknown on {RuntimeInformation.ProcessArchitecture}";
        if (Account(user) is not var (uid, gid)) return $"no user '{user}' on this node";

        var fd = OpenAs(path, OWronly | OAppend | noFollow | UserPlacedFile.SafeFlags, uid, gid, out var errno);
        if (fd < 0) return errno switch
        {
            UserPlacedFile.Eloop => UserPlacedFile.IsLink,
            _ => $"cannot open it as {user}: {Marshal.GetPInvokeErrorMessage(errno)}",
        };
        try
        {
            if (UserPlacedFile.CheckRegularOwnedBy(fd, uid, $"{user} ({uid})", out _) is { } refused) return refused;
            for (var done = 0; done < bytes.Length;)
            {
                var n = Write(fd, bytes.AsSpan(done), bytes.Length - done);
                if (n < 0)
                {
                    var e = Marshal.GetLastPInvokeError();
                    if (e == 4) continue; // EINTR
                    return $"write failed after {done} bytes: {Marshal.GetPInvokeErrorMessage(e)}";
                }
                done += (int)n;
            }
            return null;
        }
        finally
        {
            Close(fd);
        }
    }

    private static int OpenAs(string path, int flags, uint uid, uint gid, out int errno)
    {
        // The gid first, while the fsuid is still root's; restored in the reverse order. setfsuid(-1) fails and
        // returns the current value: how a change is checked.
        var oldGid = Setfsgid(gid);
        var oldUid = Setfsuid(uid);
        try
        {
            if (Setfsuid(uint.MaxValue) != uid || Setfsgid(uint.MaxValue) != gid)
            {
                errno = 1; // EPERM: not root, the ids did not change
                return -1;
            }
            var fd = Open(path, flags, 0);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
        finally
        {
            Setfsuid(oldUid);
            Setfsgid(oldGid);
        }
    }

    private static (uint Uid, uint Gid)? Account(string user)
    {
        if (string.IsNullOrEmpty(user)) return null;
        var entry = Getpwnam(user);
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
        return entry == IntPtr.Zero ? null : ((uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size), (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size + 4));
    }

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Getpwnam(string name);

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial uint Setfsuid(uint uid);

    [LibraryImport("libc", EntryPoint = "setfsgid")]
    private static partial uint Setfsgid(uint gid);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
