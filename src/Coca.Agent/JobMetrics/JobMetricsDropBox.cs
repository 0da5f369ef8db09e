using System.Text;
using Coca.Agent.Reports;
using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Metrics;
using Coca.Slurm.Files;
using Coca.Slurm.Jobs;

namespace Coca.Agent.JobMetrics;

/// <summary>
/// Carries what job scripts reported (<c>coca metric</c>, <c>log_metric</c>: <c>&lt;state-dir&gt;/metrics/JOBID.csv</c>) to
/// the server with the job's batch. The folder is a drop box the agent makes (root's, 1733 as /tmp: users create files
/// but cannot list it or remove another's), so a file is taken only when <see cref="JobMetricsFile"/> accepts it: a
/// regular file owned by the job's user (the Prolog's <c>SLURM_JOB_UID</c>), never through a link. Only complete lines
/// are read, from where the job's books say the last read stopped (<see cref="JobBook.MetricsOffset"/>), so a restart
/// sends nothing twice; a partial last line waits for its newline. Each line is validated once: a bad one is one log
/// line and is skipped alone. Read at housekeeping ticks only.
/// </summary>
internal sealed class JobMetricsDropBox
{
    /// <summary>Most bytes read from one job's file at one housekeeping tick; the rest waits for the next.</summary>
    public const int MaxBytesPerRead = 256 * 1024;

    /// <summary>Most points one batch carries (the ingest schema allows 100 000 items).</summary>
    public const int MaxPointsPerBatch = 20_000;

    /// <summary>1733: anyone creates a file, nobody but root lists, the sticky bit keeps each file its owner's.</summary>
    public const UnixFileMode DropBoxMode = ReportOwnership.TraversableDirectory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    private readonly JobMetricsFiles _files;
    private readonly Func<string, int?> _uidOf;
    private readonly Action<string> _log;
    private readonly HashSet<string> _refusalSaid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uids = new(StringComparer.Ordinal);
    private readonly List<IngestMetric> _pending = [];
    private readonly byte[] _buffer = new byte[MaxBytesPerRead];

    private JobMetricsDropBox(JobMetricsFiles files, Func<string, int?> uidOf, Action<string> log)
    {
        _files = files;
        _uidOf = uidOf;
        _log = log;
    }

    /// <summary>
    /// Makes the drop box inside the state directory (which the agent makes traversable, 0711, when it has a server); null,
    /// with the reason logged, when the path is not a plain directory (a link someone placed while the state directory was open).
    /// </summary>
    public static JobMetricsDropBox? Create(string stateDirectory, Func<string, int?> uidOf, Action<string> log)
    {
        if (OperatingSystem.IsWindows()) return null;
        var files = new JobMetricsFiles(stateDirectory);
        var found = new DirectoryInfo(files.Directory);
        if (found.LinkTarget is not null || File.Exists(files.Directory))
        {
            log($"{files.Directory} is {(found.LinkTarget is { } target ? "a link to " + target : "a file")}, not the agent's directory: job metrics are not read");
            return null;
        }
        try
        {
            OwnerOnly.CreateDirectory(files.Directory, DropBoxMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cannot make {files.Directory} the jobs' drop box ({e.Message}): job metrics are not read");
            return null;
        }
        return new JobMetricsDropBox(files, uidOf, log);
    }

    /// <summary>Whether points wait for a batch (read on sampling ticks: allocates nothing).</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>The points read since the last batch, for the next one; empties the list.</summary>
    public List<IngestMetric> Take()
    {
        var taken = new List<IngestMetric>(_pending);
        _pending.Clear();
        return taken;
    }

    /// <summary>Reads the new complete lines of every running job's file; the books keep how far.</summary>
    public void Collect(Books books)
    {
        foreach (var book in books.Jobs.Values)
        {
            if (book.Final || _pending.Count >= MaxPointsPerBatch) continue;
            Collect(book);
        }
    }

    /// <summary>Removes a retired job's file: nothing more will be read from it.</summary>
    public void Forget(string jobId)
    {
        _refusalSaid.Remove(jobId);
        _uids.Remove(jobId);
        try
        {
            File.Delete(_files.PathOf(jobId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log($"job {jobId}: its metrics file cannot be removed ({e.Message})");
        }
    }

    private void Collect(JobBook book)
    {
        var path = _files.PathOf(book.JobId);
        if (!File.Exists(path)) return; // the usual case: the job reported nothing (a dangling link has nothing to read either)
        if (!_uids.TryGetValue(book.JobId, out var uid))
        {
            if (_uidOf(book.JobId) is not { } recorded)
            {
                Refuse(book.JobId, "the job's Prolog record names no user id (SLURM_JOB_UID), so its owner cannot be checked");
                return;
            }
            _uids[book.JobId] = uid = recorded;
        }
        using var file = JobMetricsFile.Open(path, uid, out var size, out var why);
        if (file is null)
        {
            if (why is not null) Refuse(book.JobId, why);
            return;
        }
        if (size < book.MetricsOffset)
        {
            _log($"job {book.JobId}: {path} is shorter than what was read ({size} < {book.MetricsOffset} bytes); reading it again from the start");
            book.MetricsOffset = 0;
            book.MetricsLines = 0;
        }
        if (size == book.MetricsOffset) return;
        var read = RandomAccess.Read(file, _buffer, book.MetricsOffset);
        var complete = _buffer.AsSpan(0, read).LastIndexOf((byte)'\n') + 1;
        if (complete == 0)
        {
            if (read < _buffer.Length) return; // a line still being written
            _log($"job {book.JobId}: line {book.MetricsLines + 1} of {path} is over {MaxBytesPerRead} bytes; skipped");
            book.MetricsOffset += read;
            book.MetricsLines++;
            return;
        }
        foreach (var line in Encoding.UTF8.GetString(_buffer, 0, complete - 1).Split('\n'))
        {
            book.MetricsLines++;
            Take(book.JobId, line, book.MetricsLines, path);
        }
        book.MetricsOffset += complete;
    }

    // A point without a step is stored at its line number: the same line always lands on the same key of the store.
    private void Take(string jobId, string line, long number, string path)
    {
        var (points, errors) = MetricCsv.ParseRun([line.TrimEnd('\r')]);
        foreach (var e in errors) _log($"job {jobId}: {path}:{number}: {e.Reason}; line skipped");
        foreach (var p in points) _pending.Add(new IngestMetric(jobId, p.Name, p.Value, p.Step ?? number, p.Time));
    }

    private void Refuse(string jobId, string why)
    {
        if (_refusalSaid.Add(jobId)) _log($"job {jobId}: metrics file {_files.PathOf(jobId)} refused: {why}");
    }
}
