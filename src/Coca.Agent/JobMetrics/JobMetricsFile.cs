using System.Runtime.InteropServices;
using Coca.Agent.Files;
using Microsoft.Win32.SafeHandles;

namespace Coca.Agent.JobMetrics;

/// <summary>
/// Opens a job's metrics file the way root may open a file a user placed (<see cref="UserPlacedFile"/>): never through a symbolic link
/// (<c>O_NOFOLLOW</c>), never blocking on a FIFO (<c>O_NONBLOCK</c>), and only if what was opened is a regular file with
/// one link, owned by the job's user (checked on the open descriptor, so nothing can be swapped in between).
/// Linux only (x86-64 and arm64, whose <c>O_NOFOLLOW</c> differ).
/// </summary>
internal static partial class JobMetricsFile
{
    private const int ORdonly = 0x0;
    private const int Enoent = 2;

    /// <summary>The file open for reading and its size; null with <paramref name="why"/> when refused, null with no reason when absent.</summary>
    public static SafeFileHandle? Open(string path, int uid, out long size, out string? why)
    {
        size = 0;
        why = null;
        var noFollow = UserPlacedFile.NoFollow;
        if (noFollow == 0)
        {
            why = $"O_NOFOLLOW unknown on {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}";
            return null;
        }
        var fd = OpenFile(path, ORdonly | noFollow | UserPlacedFile.SafeFlags, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            why = errno switch
            {
                Enoent => null,
                UserPlacedFile.Eloop => UserPlacedFile.IsLink,
                _ => $"cannot open it: {Marshal.GetPInvokeErrorMessage(errno)}",
            };
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        why = UserPlacedFile.CheckRegularOwnedBy(fd, (uint)uid, $"the job's user (uid {uid})", out var status);
        if (why is null && status.Links != 1) why = $"it has {status.Links} hard links (a link to another file)";
        size = status.Size;
        if (why is null) return handle;
        handle.Dispose();
        return null;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, uint mode);
}
