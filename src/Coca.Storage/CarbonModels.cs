using Coca.Core.Carbon;

namespace Coca.Storage;

/// <summary>What an intensity import changed: new figures, figures replaced by different ones, figures already there.</summary>
public sealed record SeriesImportResult(int Inserted, int Updated, int Unchanged);

/// <summary>A zone's stored series and the basis of its figures (<c>direct</c>, <c>lifecycle</c>, or both words when mixed).</summary>
public sealed record StoredIntensity(string Zone, IReadOnlyList<IntensityPoint> Points, string? Basis);

/// <summary>
/// What a recompute applies: the site's yearly inputs (PUE and the yearly intensity that fills gaps) and, for
/// <c>carbon = hourly</c>, the zone's series; null series: every job gets the yearly figure.
/// </summary>
public sealed record RecomputeInputs(CarbonInputs Yearly, IntensitySeries? Series, string? Zone, string? Basis);

/// <summary>
/// What a recompute did: jobs with energy it went over, how many figures changed (a second run with the same inputs
/// changes none), how many are hourly, how many used Slurm's energy (no agent measured them) and how many were placed
/// by their own series rather than spread uniformly.
/// </summary>
public sealed record RecomputeResult(long Jobs, long Changed, long Hourly, long FromSlurmEnergy, long FromSeries);

/// <summary>How a job's emissions were produced, as stored by the last recompute (null method: written at ingest, yearly).</summary>
public sealed record JobCarbonMethod(string? Method, string? Zone, string? Basis, double? SeriesCoverage, string? Timeline);

/// <summary>What <c>coca metrics import</c> did: points written (new or changed) and points already stored as they are.</summary>
public sealed record MetricImportResult(int Written, int Unchanged);
