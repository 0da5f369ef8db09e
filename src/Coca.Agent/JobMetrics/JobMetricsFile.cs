using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Coca.Agent.JobMetrics;

/// <summary>
/// Opens a job's metrics file the way root may open a file a user placed: never through a symbolic link
/// (<c>O_NOFOLLOW</c>), never blocking on a FIFO (<c>O_NONBLOCK</c>), and only if what was opened is a regular file with
/// one link, owned by the job's user (checked on the open descriptor, so nothing can be swapped in between).
/// Linux only (x86-64 and arm64, whose <c>O_NOFOLLOW</c> differ).
/// </summary>
internal static partial class JobMetricsFile
{
    private const int ORdonly = 0x0, ONoctty = 0x100, ONonblock = 0x800, OCloexec = 0x80000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxNlink = 0x4, StatxUid = 0x8, StatxSize = 0x200;
    private const int SIfmt = 0xF000, SIfreg = 0x8000;
    private const int Enoent = 2, Eloop = 40;

    /// <summary>The file open for reading and its size; null with <paramref name="why"/> when refused, null with no reason when absent.</summary>
    public static SafeFileHandle? Open(string path, int uid, out long size, out string? why)
    {
        size = 0;
        why = null;
        int noFollow = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 0x20000,
            Architecture.Arm64 => 0x8000,
            _ => 0,
        };
        if (!OperatingSystem.IsLinux() || noFollow == 0)
        {
            why = $"O_NOFOLLOW unknown on {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}";
            return null;
        }
        var fd = OpenFile(path, ORdonly | noFollow | ONoctty | ONonblock | OCloexec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            why = errno switch
            {
                Enoent => null,
                Eloop => "it is a symbolic link (ELOOP)",
                _ => $"cannot open it: {Marshal.GetPInvokeErrorMessage(errno)}",
            };
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> stat = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType | StatxMode | StatxNlink | StatxUid | StatxSize, stat) != 0)
            why = $"cannot stat it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        else
        {
            // struct statx: stx_nlink (u32) at 16, stx_uid at 20, stx_mode (u16) at 28, stx_size (u64) at 40.
            var links = BitConverter.ToUInt32(stat[16..]);
            var owner = BitConverter.ToUInt32(stat[20..]);
            var mode = BitConverter.ToUInt16(stat[28..]);
            size = (long)BitConverter.ToUInt64(stat[40..]);
            if ((mode & SIfmt) != SIfreg) why = "not a regular file";
            else if (owner != (uint)uid) why = $"owned by uid {owner}, not by the job's user (uid {uid})";
            else if (links != 1) why = $"it has {links} hard links (a link to another file)";
        }
        if (why is null) return handle;
        handle.Dispose();
        return null;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);
}
