namespace Coca.Slurm.Files;

/// <summary>
/// Directories (0700) and files (0600) that only root reads: job records carry every SLURM_* variable of a job, the
/// books and the spool every job's figures, and a node's users must not read each other's. Created with these modes
/// (no window with the umask's), and an existing directory is tightened, since earlier versions made them 0755.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and its missing parents) 0700, or tightens it to 0700.</summary>
    public static void CreateDirectory(string path) => CreateDirectory(path, DirectoryMode);

    /// <summary>Creates <paramref name="path"/> with <paramref name="mode"/>, or sets it on the directory already there.</summary>
    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, mode);
        if (File.GetUnixFileMode(path) != mode) File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/> through a temporary file created 0600 and renamed
    /// over it: a reader never sees half of it. A write that fails (a full disk) removes the temporary file and throws.
    /// </summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = TemporaryPathOf(path);
        try
        {
            WriteNew(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes a file created 0600 (replaced if there), and flushed: a full disk shows here, not later.</summary>
    public static void WriteNew(string path, string text)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        // File.Create with a mode only applies it to a new file: an existing one made by an earlier version is tightened.
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != FileMode) File.SetUnixFileMode(path, FileMode);
    }

    /// <summary>The temporary file a write of <paramref name="path"/> goes through: "&lt;name&gt;.tmp-&lt;pid&gt;".</summary>
    public static string TemporaryPathOf(string path) => path + TemporarySuffix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public const string TemporarySuffix = ".tmp-";

    /// <summary>Whether a file of <paramref name="path"/> can be read by others than its owner and group (for warnings).</summary>
    public static bool ReadableByOthers(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)) != 0;

    // A temporary file older than this was left by a writer that died or a disk that filled: no write takes this long.
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(10);

    /// <summary>Removes the temporary files in <paramref name="directory"/> that a dead writer or a full disk left; returns how many.</summary>
    public static int SweepTemporaryFiles(string directory, DateTimeOffset now)
    {
        if (!Directory.Exists(directory)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*" + TemporarySuffix + "*"))
        {
            try
            {
                if (now - File.GetLastWriteTimeUtc(file) < StaleTemporary) continue;
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // tried again at the next sweep
            }
        }
        return removed;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // nothing more to do: the sweep of stale temporary files removes it later
        }
    }
}
