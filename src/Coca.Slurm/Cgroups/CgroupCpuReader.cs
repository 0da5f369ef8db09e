using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace Coca.Slurm.Cgroups;

/// <summary>A job cgroup's CPU time read from a file kept open (pread at offset 0 into a stack buffer): no allocation per read.</summary>
public sealed class CgroupCpuReader : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly CgroupVersion _version;

    public CgroupCpuReader(JobCgroup cgroup)
    {
        _version = cgroup.Version;
        var file = Path.Combine(cgroup.Path, cgroup.Version == CgroupVersion.V2 ? "cpu.stat" : "cpuacct.usage");
        try
        {
            _handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _handle = null;
        }
    }

    /// <summary>Cumulative CPU seconds, or NaN when unreadable (the job ended, the folder went away).</summary>
    public double CpuSeconds()
    {
        if (_handle is null) return double.NaN;
        Span<byte> buffer = stackalloc byte[512];
        int read;
        try
        {
            read = RandomAccess.Read(_handle, buffer, 0);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        var text = buffer[..read];
        if (_version == CgroupVersion.V1)
        {
            return Utf8Parser.TryParse(text.Trim((byte)'\n'), out long ns, out _) ? ns / 1e9 : double.NaN;
        }
        // cpu.stat: "usage_usec N\nuser_usec N\n…"
        var key = "usage_usec "u8;
        var at = text.IndexOf(key);
        if (at < 0) return double.NaN;
        return Utf8Parser.TryParse(text[(at + key.Length)..], out long usec, out _) ? usec / 1e6 : double.NaN;
    }

    public void Dispose() => _handle?.Dispose();
}
