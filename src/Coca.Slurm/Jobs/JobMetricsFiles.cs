using Coca.Core.Jobs;
using Coca.Core.Metrics;

namespace Coca.Slurm.Jobs;

/// <summary>
/// What a job's script reported (<c>coca metric</c>, <c>log_metric</c> inside a Slurm job): one CSV per job,
/// <c>&lt;state-dir&gt;/metrics/&lt;id&gt;.csv</c> (<c>name,value,step,time</c>), beside the job records in
/// <c>&lt;state-dir&gt;/jobs</c>. The job runs as its user, who cannot write the records' 0700 directory: the agent makes
/// this one a drop box (1733, as /tmp; the state directory 0711), and reads each file only if the job's user owns it.
/// </summary>
public sealed class JobMetricsFiles(string stateDirectory)
{
    public string Directory { get; } = Path.Combine(stateDirectory, "metrics");

    /// <summary>The job's file; the id reaches a path only once <see cref="JobId.TryParse"/> has accepted it.</summary>
    public string PathOf(string jobId) =>
        JobId.TryParse(jobId, out var id) ? Path.Combine(Directory, id!.ToString() + ".csv") : throw new ArgumentException(JobId.Describe(jobId));

    public void Append(string jobId, MetricPoint point)
    {
        var path = PathOf(jobId);
        System.IO.Directory.CreateDirectory(Directory);
        // 0600: the drop box hides the names, not the files; a job id is easy to guess.
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        if (stream.Length == 0) writer.WriteLine(MetricCsv.RunHeader);
        writer.WriteLine(MetricCsv.RunLine(point));
    }

    /// <summary>The job's points, and each bad line's error; none when it reported nothing.</summary>
    public (List<MetricPoint> Points, List<MetricLineError> Errors) Read(string jobId)
    {
        var path = PathOf(jobId);
        return File.Exists(path) ? MetricCsv.ParseRun(File.ReadLines(path)) : ([], []);
    }
}
