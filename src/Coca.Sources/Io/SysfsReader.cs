using System.Buffers.Text;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Coca.Sources.Io;

/// <summary>
/// Reads small sysfs/procfs attribute files. Counter files are kept open and re-read at offset 0
/// into a stack buffer, so that a tick allocates nothing.
/// </summary>
public static class SysfsReader
{
    /// <summary>Reads an unsigned decimal integer at offset 0 of an open file.</summary>
    public static bool TryReadUInt64(SafeFileHandle handle, out ulong value)
    {
        Span<byte> buffer = stackalloc byte[32];
        value = 0;
        int read;
        try
        {
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        var span = buffer[..read].Trim((byte)'\n').Trim((byte)' ');
        return Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length && span.Length > 0;
    }

    /// <summary>The trimmed text of a small file, or null when it is missing or unreadable.</summary>
    public static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static ulong? TryReadUInt64(string path) =>
        TryReadText(path) is { } text && ulong.TryParse(text, out var v) ? v : null;
}
