namespace Coca.Sources.Procfs;

/// <summary>
/// CPU time of a process and all its live descendants, from <c>/proc/&lt;pid&gt;/stat</c>.
/// Each process counts its own time plus that of the children it has reaped (cutime, cstime), so a
/// child that exits moves into its parent's figure and is never counted twice.
/// </summary>
public static class ProcessTreeCpu
{
    /// <summary>
    /// Walks the tree from <paramref name="rootPid"/> through <c>/proc/PID/task/TID/children</c>, reading only the
    /// tree's own files; where the kernel lacks that file (CONFIG_PROC_CHILDREN), scans every process instead.
    /// </summary>
    public static double Seconds(string procfsRoot, int rootPid)
    {
        // Gone and reaped: its time is in its parent's getrusage(RUSAGE_CHILDREN), and its orphans belong to
        // another parent now. Scanning every process to find nothing cost `coca run` milliseconds at its last sample.
        if (!Directory.Exists(Path.Combine(procfsRoot, rootPid.ToString(System.Globalization.CultureInfo.InvariantCulture)))) return 0;
        if (!File.Exists(Path.Combine(procfsRoot, rootPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "task", rootPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "children")))
        {
            return ScanAll(procfsRoot, rootPid);
        }
        ulong total = 0;
        var pending = new Stack<int>();
        pending.Push(rootPid);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid)) continue;
            var dir = Path.Combine(procfsRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                if (TryParseStat(File.ReadAllText(Path.Combine(dir, "stat")), out _, out var ticks)) total += ticks;
                foreach (var task in Directory.EnumerateDirectories(Path.Combine(dir, "task")))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (int.TryParse(child, out var c)) pending.Push(c);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while we looked: its time is in its parent's cutime once reaped
            }
        }
        return total / CpuTimes.TicksPerSecond;
    }

    private static double ScanAll(string procfsRoot, int rootPid)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, ulong>();
        foreach (var dir in Directory.EnumerateDirectories(procfsRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (TryParseStat(text, out var ppid, out var t))
            {
                parents[pid] = ppid;
                ticks[pid] = t;
            }
        }

        ulong total = 0;
        foreach (var (pid, t) in ticks)
        {
            if (IsInTree(pid, rootPid, parents)) total += t;
        }
        return total / CpuTimes.TicksPerSecond;
    }

    /// <summary>Parses ppid and utime+stime+cutime+cstime; the command name in parentheses may hold spaces.</summary>
    public static bool TryParseStat(string text, out int ppid, out ulong ticks)
    {
        ppid = 0;
        ticks = 0;
        var close = text.LastIndexOf(')');
        if (close < 0) return false;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is state (field 3 of stat); utime is field 14 → index 11.
        if (fields.Length < 15 || !int.TryParse(fields[1], out ppid)) return false;
        for (var i = 11; i <= 14; i++)
        {
            if (!long.TryParse(fields[i], out var v) || v < 0) return false;
            ticks += (ulong)v;
        }
        return true;
    }

    private static bool IsInTree(int pid, int root, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 4096 && pid > 0; depth++)
        {
            if (pid == root) return true;
            if (!parents.TryGetValue(pid, out pid)) return false;
        }
        return false;
    }
}
