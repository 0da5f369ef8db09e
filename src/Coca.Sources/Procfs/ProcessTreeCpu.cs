using System.Buffers.Text;
using System.Globalization;
using System.IO.Enumeration;

namespace Coca.Sources.Procfs;

/// <summary>
/// CPU time of a process and all its live descendants, from <c>/proc/&lt;pid&gt;/stat</c>.
/// Each process counts its own time plus that of the children it has reaped (cutime, cstime), so a
/// child that exits moves into its parent's figure and is never counted twice.
/// </summary>
/// <remarks>
/// Read once a second for the whole of a <c>coca run</c>, so each read costs little: stat files are read into
/// a stack buffer, and where the kernel lacks <c>/proc/PID/task/TID/children</c> (CONFIG_PROC_CHILDREN) the scan
/// of every process remembers who was outside the tree and reads only the tree and processes new since the
/// last scan. A process never moves into the tree (orphans go to init or a subreaper), so a pid seen outside
/// stays outside while it is listed; a pid that disappears is forgotten, so its reuse is read afresh.
/// </remarks>
public sealed class ProcessTreeCpu
{
    private readonly string _procfsRoot;
    private readonly int _rootPid;
    private readonly string _rootDirectory;
    private HashSet<int> _outside = [];
    private HashSet<int> _outsideNext = [];
    private readonly HashSet<int> _tree = [];
    private readonly List<(int Pid, int Ppid, ulong Ticks)> _read = [];

    public ProcessTreeCpu(string procfsRoot, int rootPid)
    {
        _procfsRoot = procfsRoot;
        _rootPid = rootPid;
        _rootDirectory = Path.Combine(procfsRoot, rootPid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Seconds of CPU of the tree now; 0 once the root is gone (reaped: its time is in its parent's rusage).</summary>
    public double Seconds()
    {
        // Gone and reaped: its time is in its parent's getrusage(RUSAGE_CHILDREN), and its orphans belong to
        // another parent now. Scanning every process to find nothing cost `coca run` milliseconds at its last sample.
        if (!Directory.Exists(_rootDirectory)) return 0;
        var ticks = File.Exists(Path.Combine(_rootDirectory, "task", _rootPid.ToString(CultureInfo.InvariantCulture), "children")) ? WalkChildren() : ScanAll();
        return ticks / CpuTimes.TicksPerSecond;
    }

    private ulong WalkChildren()
    {
        ulong total = 0;
        var pending = new Stack<int>();
        pending.Push(_rootPid);
        _tree.Clear();
        Span<byte> buffer = stackalloc byte[4096];
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!_tree.Add(pid)) continue;
            var dir = Path.Combine(_procfsRoot, pid.ToString(CultureInfo.InvariantCulture));
            try
            {
                if (TryParseStat(ReadSmall(Path.Combine(dir, "stat"), buffer), out _, out var ticks)) total += ticks;
                foreach (var task in Directory.EnumerateDirectories(Path.Combine(dir, "task")))
                {
                    var children = ReadSmall(Path.Combine(task, "children"), buffer);
                    while (Utf8Parser.TryParse(children.TrimStart((byte)' '), out int child, out var used))
                    {
                        pending.Push(child);
                        children = children.TrimStart((byte)' ')[used..];
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while we looked: its time is in its parent's cutime once reaped
            }
        }
        return total;
    }

    private ulong ScanAll()
    {
        _read.Clear();
        Span<byte> buffer = stackalloc byte[1024];
        foreach (var pid in Pids(_procfsRoot))
        {
            if (_outside.Contains(pid))
            {
                _outsideNext.Add(pid);
                continue;
            }
            try
            {
                if (TryParseStat(ReadSmall(Path.Combine(_procfsRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"), buffer), out var ppid, out var ticks))
                {
                    _read.Add((pid, ppid, ticks));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // ended between the listing and the read
            }
        }

        // Parents usually have lower pids than their children, but not after pids wrap: grow the tree until it stops.
        _tree.Clear();
        _tree.Add(_rootPid);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, ppid, _) in _read)
            {
                if (_tree.Contains(pid) || !_tree.Contains(ppid)) continue;
                _tree.Add(pid);
                grew = true;
            }
        }
        ulong total = 0;
        foreach (var (pid, _, ticks) in _read)
        {
            if (_tree.Contains(pid)) total += ticks;
            else _outsideNext.Add(pid);
        }
        (_outside, _outsideNext) = (_outsideNext, _outside);
        _outsideNext.Clear();
        return total;
    }

    // The numeric entries of /proc, parsed from the directory entry without a string per process.
    private static FileSystemEnumerable<int> Pids(string procfsRoot) =>
        new(procfsRoot, static (ref FileSystemEntry entry) => int.Parse(entry.FileName, CultureInfo.InvariantCulture),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && IsPid(entry.FileName),
        };

    private static bool IsPid(ReadOnlySpan<char> name) => name.Length is > 0 and < 10 && !name.ContainsAnyExceptInRange('0', '9');

    private static ReadOnlySpan<byte> ReadSmall(string path, Span<byte> buffer)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return buffer[..RandomAccess.Read(handle, buffer, 0)];
    }

    /// <summary>Parses ppid and utime+stime+cutime+cstime; the command name in parentheses may hold spaces.</summary>
    public static bool TryParseStat(ReadOnlySpan<byte> text, out int ppid, out ulong ticks)
    {
        ppid = 0;
        ticks = 0;
        var close = text.LastIndexOf((byte)')');
        if (close < 0) return false;
        var rest = text[(close + 1)..];
        // After the name: state (field 3), ppid (4), … utime (14), stime, cutime, cstime (17).
        for (var field = 3; field <= 17; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOf((byte)' ');
            var value = end < 0 ? rest : rest[..end];
            if (value.IsEmpty) return false;
            if (field == 4 && !(Utf8Parser.TryParse(value, out ppid, out var used) && used == value.Length)) return false;
            if (field >= 14)
            {
                if (!Utf8Parser.TryParse(value, out long v, out var used14) || used14 != value.Length || v < 0) return false;
                ticks += (ulong)v;
            }
            rest = end < 0 ? default : rest[end..];
        }
        return true;
    }
}
