using Coca.Core.Jobs;

namespace Coca.Core.Metrics;

/// <summary>A metric of a Slurm job, as <c>coca metrics import</c> reads it.</summary>
public sealed record JobMetric(string JobId, MetricPoint Point);

/// <summary>One refused line: its number (1-based) and why, for a one-line error.</summary>
public sealed record MetricLineError(int Line, string Reason);

/// <summary>
/// The two metric CSVs: a run's (<c>name,value,step,time</c>, written by <c>coca metric</c> and <c>log_metric</c>) and a
/// site's export (<c>job_id,name,value[,step,time]</c>, read by <c>coca metrics import</c>). A header line is recognised
/// by its first field and skipped; a bad line is refused alone, with its reason, and the good ones are kept.
/// </summary>
public static class MetricCsv
{
    public const string RunHeader = "name,value,step,time";

    public static string RunLine(MetricPoint p) => string.Join(',', p.Name, p.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        p.Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", p.Time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) ?? "");

    public static (List<MetricPoint> Points, List<MetricLineError> Errors) ParseRun(IEnumerable<string> lines)
    {
        var points = new List<MetricPoint>();
        var errors = new List<MetricLineError>();
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            if (Skip(line, "name")) continue;
            var f = line.Split(',');
            if (f.Length is < 2 or > 4) errors.Add(new(n, $"expected name,value[,step,time], got {f.Length} fields"));
            else if (TryPoint(f[0], f[1], f.Length > 2 ? f[2] : "", f.Length > 3 ? f[3] : "", out var p, out var error)) points.Add(p!);
            else errors.Add(new(n, error!));
        }
        return (points, errors);
    }

    /// <remarks>
    /// A value without a step takes the next step of its job and name in the file (0, 1, 2…): an export's rows are
    /// in order, and importing the same file twice gives the same points.
    /// </remarks>
    public static (List<JobMetric> Metrics, List<MetricLineError> Errors) ParseJobs(IEnumerable<string> lines)
    {
        var metrics = new List<JobMetric>();
        var errors = new List<MetricLineError>();
        var next = new Dictionary<(string, string), long>();
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            if (Skip(line, "job_id")) continue;
            var f = line.Split(',');
            if (f.Length is < 3 or > 5)
            {
                errors.Add(new(n, $"expected job_id,name,value[,step,time], got {f.Length} fields"));
                continue;
            }
            var rawId = f[0].Trim();
            if (!JobId.TryParse(rawId, out _))
            {
                errors.Add(new(n, JobId.Describe(rawId)));
                continue;
            }
            if (!TryPoint(f[1], f[2], f.Length > 3 ? f[3] : "", f.Length > 4 ? f[4] : "", out var p, out var error))
            {
                errors.Add(new(n, error!));
                continue;
            }
            var key = (rawId, p!.Name);
            var step = p.Step ?? (next.TryGetValue(key, out var s) ? s : 0);
            next[key] = Math.Max(next.GetValueOrDefault(key), step + 1);
            metrics.Add(new JobMetric(rawId, p with { Step = step }));
        }
        return (metrics, errors);
    }

    private static bool Skip(string line, string header)
    {
        var t = line.Trim();
        return t.Length == 0 || t.StartsWith('#') || t.Split(',')[0].Trim().Equals(header, StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryPoint(string name, string value, string step, string time, out MetricPoint? point, out string? error)
    {
        point = null;
        name = name.Trim();
        if (!MetricPoint.IsValidName(name))
        {
            error = $"metric name '{MetricPoint.Shown(name)}' is not 1-{MetricPoint.MaxNameLength} letters, digits, _ . : / -";
            return false;
        }
        if (!MetricPoint.TryParseValue(value, out var v, out error)) return false;
        if (!MetricPoint.TryParseStep(step, out var s, out error)) return false;
        if (!MetricPoint.TryParseTime(time, out var t, out error)) return false;
        point = new MetricPoint(name, v, s, t);
        return true;
    }
}
