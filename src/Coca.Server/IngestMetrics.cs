using Coca.Core.Ingest;
using Coca.Core.Metrics;
using Coca.Storage;

namespace Coca.Server;

/// <summary>
/// A batch's metrics as the store takes them: only those of jobs the batch carries and the store accepted from this
/// node, so a node token adds metrics only to jobs that ran on it (the ownership rule of the figures themselves).
/// </summary>
internal static class IngestMetrics
{
    public static (List<JobMetric> Accepted, List<IngestRefusal> Refused) Split(IngestBatch batch, IngestOutcome outcome)
    {
        var accepted = new List<JobMetric>();
        var refused = new List<IngestRefusal>();
        if (batch.Metrics is not { Count: > 0 } metrics) return (accepted, refused);
        var carried = batch.Jobs.Select(j => j.JobIdRaw).ToHashSet(StringComparer.Ordinal);
        carried.ExceptWith(outcome.Refused.Select(r => r.JobIdRaw));
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            if (carried.Contains(m.JobIdRaw)) accepted.Add(new JobMetric(m.JobIdRaw, new MetricPoint(m.Name, m.Value, m.Step, m.Time)));
            else if (said.Add(m.JobIdRaw)) refused.Add(new IngestRefusal(m.JobIdRaw, "metrics of a job this batch does not carry, or whose figures were refused"));
        }
        return (accepted, refused);
    }
}
