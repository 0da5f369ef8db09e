namespace Coca.Sources.Procfs;

/// <summary>Installed memory from <c>/proc/meminfo</c>.</summary>
public static class MemInfo
{
    /// <summary>MemTotal in GB (10^9 bytes); null when it cannot be read.</summary>
    public static double? TotalGb(string procfsRoot = "/proc")
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procfsRoot, "meminfo")))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], out var kb))
                    {
                        return kb * 1024 / 1e9;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
