using Coca.Core.Metrics;

namespace Coca.Storage;

/// <summary>
/// Jobs' metrics for the behaviours' sweeps, read on a store of their own, opened at the first sweep: the analysis
/// reads its jobs on a connection busy with its read-ahead, which no other query may share.
/// </summary>
public sealed class MetricsLookup(Func<IJobStore> open) : IDisposable
{
    private IJobStore? _store;

    public IReadOnlyList<JobMetric> Of(IReadOnlyList<string> jobIds) => (_store ??= open()).MetricsOfJobs(jobIds);

    public void Dispose() => _store?.Dispose();
}
