using Coca.Core.Metrics;

namespace Coca.Tracker.Results;

/// <summary>
/// The metrics file of a run (<c>COCA_METRICS_FILE</c>: CSV <c>name,value,step,time</c>), filled by <c>coca metric</c>
/// and <c>coca4ai.log_metric</c> in the measured process, read once at the end into <see cref="RunResult.Metrics"/>.
/// </summary>
public static class RunMetrics
{
    public const string Variable = "COCA_METRICS_FILE";

    /// <summary>The good points, and one warning per file problem or bad line (at most a few, then a count).</summary>
    public static (IReadOnlyList<MetricPoint> Points, IReadOnlyList<string> Warnings) Read(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return ([], []);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], [$"metrics file {path} not read: {e.Message}"]);
        }
        var (points, errors) = MetricCsv.ParseRun(lines);
        var warnings = errors.Take(3).Select(e => $"{Variable} line {e.Line} skipped: {e.Reason}").ToList();
        if (errors.Count > 3) warnings.Add($"{Variable}: {errors.Count - 3} more bad lines skipped");
        return (points, warnings);
    }

    /// <summary>Appends a point, the header first when the file is new or empty.</summary>
    public static void Append(string path, MetricPoint point)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var writer = new StreamWriter(stream);
        if (stream.Length == 0) writer.WriteLine(MetricCsv.RunHeader);
        writer.WriteLine(MetricCsv.RunLine(point));
    }
}
