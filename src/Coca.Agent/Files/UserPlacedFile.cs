using System.Runtime.InteropServices;

namespace Coca.Agent.Files;

/// <summary>
/// What root may trust of a file a user placed (a job's output file, a job's metrics file): it is opened never through
/// a symbolic link (<c>O_NOFOLLOW</c>, whose value differs between x86-64 and arm64), never blocking on a FIFO, and what
/// was opened is checked on the open descriptor (<c>statx</c>), so nothing can be swapped in between. Linux only.
/// </summary>
internal static partial class UserPlacedFile
{
    /// <summary><c>O_NOCTTY|O_NONBLOCK|O_CLOEXEC</c>: no controlling terminal, no wait on a FIFO, not inherited.</summary>
    public const int SafeFlags = 0x100 | 0x800 | 0x80000;

    public const int Eloop = 40;

    /// <summary>The refusal when the path was a symbolic link.</summary>
    public const string IsLink = "it is a symbolic link (ELOOP)";

    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxNlink = 0x4, StatxUid = 0x8, StatxSize = 0x200;
    private const int SIfmt = 0xF000, SIfreg = 0x8000;

    /// <summary><c>O_NOFOLLOW</c> on this machine; 0 where it is not known (not Linux, or another architecture).</summary>
    public static int NoFollow => !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x20000,
        Architecture.Arm64 => 0x8000,
        _ => 0,
    };

    /// <summary>What <c>statx</c> says of an open descriptor.</summary>
    public readonly record struct Status(uint Links, uint Owner, long Size);

    /// <summary>
    /// Null when <paramref name="fd"/> is a regular file owned by <paramref name="uid"/>, else why not (the owner named
    /// as <paramref name="whose"/>, e.g. "alice (1000)").
    /// </summary>
    public static string? CheckRegularOwnedBy(int fd, uint uid, string whose, out Status status)
    {
        status = default;
        Span<byte> stat = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType | StatxMode | StatxNlink | StatxUid | StatxSize, stat) != 0)
            return $"cannot stat it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        // struct statx: stx_nlink (u32) at 16, stx_uid at 20, stx_mode (u16) at 28, stx_size (u64) at 40.
        status = new Status(BitConverter.ToUInt32(stat[16..]), BitConverter.ToUInt32(stat[20..]), (long)BitConverter.ToUInt64(stat[40..]));
        var mode = BitConverter.ToUInt16(stat[28..]);
        if ((mode & SIfmt) != SIfreg) return "not a regular file";
        if (status.Owner != uid) return $"owned by uid {status.Owner}, not by {whose}";
        return null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);
}
