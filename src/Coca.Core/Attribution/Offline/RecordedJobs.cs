using System.Globalization;

namespace Coca.Core.Attribution.Offline;

/// <summary>A job as recorded: where, when, which GPUs (device names) and which share of the node's packages and DRAM.</summary>
public sealed record RecordedJob(string JobId, string User, string Node, double Start, double End, IReadOnlyList<string> Gpus, double CpuShare);

/// <summary>Jobs CSV: <c>job_id,user,node,start,end,gpus,cpu_share</c>; <c>gpus</c> separated by <c>;</c>, empty <c>end</c> = still running, empty <c>cpu_share</c> = unknown.</summary>
public static class RecordedJobs
{
    public static readonly string[] Columns = ["job_id", "user", "node", "start", "end", "gpus", "cpu_share"];

    public static IReadOnlyList<RecordedJob> Parse(string text, List<string> problems)
    {
        var table = CsvTable.Parse(text, ["job_id", "user", "node", "start", "end"], "jobs");
        problems.AddRange(table.Problems);
        var jobs = new List<RecordedJob>();
        var seen = new Dictionary<(string Id, string Node), int>();
        foreach (var (line, f) in table.Rows)
        {
            var id = table.Get(f, "job_id");
            var node = table.Get(f, "node");
            if (id.Length == 0 || node.Length == 0 || table.Get(f, "user").Length == 0)
            {
                problems.Add($"jobs line {line}: job_id, user and node are required");
                continue;
            }
            if (!seen.TryAdd((id, node), line))
            {
                problems.Add($"jobs line {line}: job {Short(id)} on {Short(node)} given twice (first on line {seen[(id, node)]}), skipped");
                continue;
            }
            if (!TimeParser.TryParse(table.Get(f, "start"), out var start, out var error))
            {
                problems.Add($"jobs line {line}: start: {error}");
                continue;
            }
            var endText = table.Get(f, "end");
            var end = double.PositiveInfinity;
            if (endText.Length > 0 && !TimeParser.TryParse(endText, out end, out error))
            {
                problems.Add($"jobs line {line}: end: {error}");
                continue;
            }
            if (end < start)
            {
                problems.Add($"jobs line {line}: end is before start");
                continue;
            }
            var shareText = table.Get(f, "cpu_share");
            var share = double.NaN;
            if (shareText.Length > 0 && (!double.TryParse(shareText, NumberStyles.Float, CultureInfo.InvariantCulture, out share) || share is not (>= 0 and <= 1)))
            {
                problems.Add($"jobs line {line}: cpu_share must be between 0 and 1, got '{shareText}'");
                continue;
            }
            var gpus = table.Get(f, "gpus").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            jobs.Add(new RecordedJob(id, table.Get(f, "user"), node, start, end, gpus, share));
        }
        return jobs;
    }

    private static string Short(string text) => text.Length <= 64 ? text : text[..61] + "…";
}
