using System.Globalization;
using Coca.Core.Jobs;

namespace Coca.Sources.Procfs;

/// <summary>
/// The ML framework a set of processes uses, from the shared libraries they mapped (<c>/proc/PID/maps</c>, named by
/// <see cref="Frameworks.OfMappedPath"/>). A maps file can be megabytes (a PyTorch process maps thousands of regions):
/// it is streamed through one buffer kept between calls, a line at a time, and a process stops being read as soon as
/// it shows a framework. A process that exits mid-read, or whose maps cannot be read, tells nothing; that is normal.
/// </summary>
public sealed class MappedFrameworks(string procfsRoot = "/proc")
{
    /// <summary>Longest line kept whole; a longer one (a path near PATH_MAX) is read on its first 64 KiB only.</summary>
    public const int BufferBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[BufferBytes];

    /// <summary>The most specific framework any of the processes mapped; null when none.</summary>
    public string? Of(IEnumerable<int> pids)
    {
        string? found = null;
        foreach (var pid in pids)
        {
            found = Frameworks.MoreSpecific(found, OfProcess(pid));
            if (Frameworks.Specificity(found) == 2) break; // nothing is more specific than a framework
        }
        return found;
    }

    /// <summary>The most specific framework one process mapped; null when none, or when it is gone.</summary>
    public string? OfProcess(int pid)
    {
        var path = Path.Combine(procfsRoot, pid.ToString(CultureInfo.InvariantCulture), "maps");
        if (!File.Exists(path)) return null; // exited: a stat, where a failed open costs an exception
        try
        {
            using var maps = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return Scan(maps);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited (ENOENT, ESRCH mid-read) or not ours to read
        }
    }

    private string? Scan(Stream maps)
    {
        string? found = null;
        var filled = 0;
        var skipping = false; // in the tail of a line longer than the buffer
        while (true)
        {
            var read = maps.Read(_buffer, filled, _buffer.Length - filled);
            var end = filled + read;
            var text = _buffer.AsSpan(0, end);
            var start = 0;
            while (true)
            {
                var eol = text[start..].IndexOf((byte)'\n');
                if (eol < 0) break;
                if (!skipping) found = Frameworks.MoreSpecific(found, OfLine(text.Slice(start, eol)));
                skipping = false;
                start += eol + 1;
            }
            if (Frameworks.Specificity(found) == 2) return found;
            if (read == 0)
            {
                if (!skipping && start < end) found = Frameworks.MoreSpecific(found, OfLine(text[start..end])); // a last line without newline
                return found;
            }
            if (start == 0 && end == _buffer.Length)
            {
                // One line fills the buffer: judged on what fits, the rest of it skipped.
                if (!skipping) found = Frameworks.MoreSpecific(found, OfLine(text));
                skipping = true;
                filled = 0;
                continue;
            }
            text[start..end].CopyTo(_buffer);
            filled = end - start;
        }
    }

    // "address perms offset dev inode   pathname": the path is what follows the first '/' ([heap], [stack] have none).
    private static string? OfLine(ReadOnlySpan<byte> line)
    {
        var slash = line.IndexOf((byte)'/');
        return slash < 0 ? null : Frameworks.OfMappedPath(line[slash..]);
    }
}
