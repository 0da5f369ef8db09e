using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace Coca.Sources.Procfs;

/// <summary>Reads the aggregate <c>cpu</c> line of <c>/proc/stat</c> from a handle kept open, without allocating.</summary>
public sealed class ProcStatReader : IDisposable
{
    private readonly SafeFileHandle? _handle;

    public ProcStatReader(string procfsRoot = "/proc")
    {
        Path = System.IO.Path.Combine(procfsRoot, "stat");
        try
        {
            _handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _handle = null;
        }
    }

    public string Path { get; }
    public bool IsAvailable => _handle is not null;

    public bool TryRead(out CpuTimes times)
    {
        times = default;
        if (_handle is null)
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[512];
        int read;
        try
        {
            read = RandomAccess.Read(_handle, buffer, 0);
        }
        catch (IOException)
        {
            return false;
        }
        return TryParse(buffer[..read], out times);
    }

    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already inside user.
    public static bool TryParse(ReadOnlySpan<byte> text, out CpuTimes times)
    {
        times = default;
        var eol = text.IndexOf((byte)'\n');
        var line = eol >= 0 ? text[..eol] : text;
        if (!line.StartsWith("cpu "u8))
        {
            return false;
        }
        line = line[4..];
        Span<ulong> fields = stackalloc ulong[8];
        var count = 0;
        while (count < fields.Length)
        {
            line = line.TrimStart((byte)' ');
            if (line.IsEmpty || !Utf8Parser.TryParse(line, out ulong value, out var used))
            {
                break;
            }
            fields[count++] = value;
            line = line[used..];
        }
        if (count < 4)
        {
            return false;
        }
        ulong total = 0;
        for (var i = 0; i < count; i++)
        {
            total += fields[i];
        }
        var idle = fields[3] + (count > 4 ? fields[4] : 0);
        times = new CpuTimes(total - idle, total);
        return true;
    }

    public void Dispose() => _handle?.Dispose();
}
