namespace Coca.Agent.Jobs;

/// <summary>
/// Tells when the Prolog/Epilog records may have changed: inotify sets a flag from its own thread (the agent answers
/// with a housekeeping tick), and the directory's stamp is compared at checkpoints in case an event was lost (queue
/// overflow, watch limit) — a lost event then costs a minute, not a job.
/// </summary>
internal sealed class RecordsWatcher : IDisposable
{
    private readonly string _directory;
    private readonly FileSystemWatcher? _watcher;
    private volatile bool _changed = true;
    private DateTime _stamp;
    private bool _stampRacy;

    public RecordsWatcher(string directory)
    {
        _directory = directory;
        try
        {
            _watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite, EnableRaisingEvents = true };
            _watcher.Created += (_, _) => _changed = true;
            _watcher.Renamed += (_, _) => _changed = true;
            _watcher.Deleted += (_, _) => _changed = true;
            _watcher.Changed += (_, _) => _changed = true;
            _watcher.Error += (_, _) => _changed = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            _watcher = null; // no inotify: records are read at every housekeeping tick
        }
    }

    /// <summary>An event arrived since the records were last read, or there is no inotify to tell.</summary>
    public bool Changed => _changed || _watcher is null;

    // Records are replaced by rename and removed, so the directory's mtime moves with every change. A stamp
    // taken within a couple of seconds of the change may hide a second change in the same timestamp tick: such a
    // stamp is not trusted, and the records are read once more at the next look.
    public bool DirectoryChanged() => Directory.GetLastWriteTimeUtc(_directory) != _stamp || _stampRacy;

    /// <summary>
    /// Called just before the records are read: what this read sees is what the next look compares with (a change
    /// while they are read moves the stamp again, and is seen then).
    /// </summary>
    public void Reading()
    {
        _changed = false;
        _stamp = Directory.GetLastWriteTimeUtc(_directory);
        _stampRacy = DateTime.UtcNow - _stamp < TimeSpan.FromSeconds(2);
    }

    public void Dispose() => _watcher?.Dispose();
}
