using Coca.Core.Metrics;

namespace Coca.Storage;

/// <summary>
/// Jobs' metrics for the behaviours' sweeps, read on a store of their own, opened at the first sweep: the analysis
/// reads its jobs on a connection busy with its read-ahead, which no other query may share. Which jobs have any metric
/// is read once: a year has tens of thousands of sweeps, most of them without metrics, and a query per sweep
/// (three, with its ids bound by name) was most of <c>coca behaviours</c>' time over 9 M jobs.
/// </summary>
public sealed class MetricsLookup(Func<IJobStore> open) : IDisposable
{
    private IJobStore? _store;
    private IReadOnlySet<string>? _withMetrics;

    public IReadOnlyList<JobMetric> Of(IReadOnlyList<string> jobIds)
    {
        _store ??= open();
        _withMetrics ??= _store.JobsWithMetrics();
        var known = jobIds.Where(_withMetrics.Contains).ToList();
        return known.Count == 0 ? [] : _store.MetricsOfJobs(known);
    }

    public void Dispose() => _store?.Dispose();
}
