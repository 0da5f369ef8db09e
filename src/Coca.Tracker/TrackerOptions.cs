using Coca.Sources;
using Coca.Tracker.Scopes;

namespace Coca.Tracker;

/// <summary>How an <see cref="EmissionsTracker"/> measures and reports.</summary>
public sealed class TrackerOptions
{
    /// <summary>Sampling interval; wraps of RAPL counters need at least one sample per wrap period.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    public SourceSetOptions Sources { get; set; } = new();

    /// <summary>ISO 3166 alpha-3 code for the grid intensity; null: world average unless <see cref="CarbonIntensity"/> is given.</summary>
    public string? Country { get; set; }

    /// <summary>gCO2e/kWh, overrides the country's figure.</summary>
    public double? CarbonIntensity { get; set; }

    /// <summary>Power usage effectiveness; 1.0 for a workstation.</summary>
    public double Pue { get; set; } = 1.0;

    /// <summary>Directory for <c>emissions.csv</c>; null writes no file.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Whose CPU time counts; default: this process.</summary>
    public ICpuScope? CpuScope { get; set; }

    /// <summary>The run's metrics file (<c>COCA_METRICS_FILE</c>), read at stop into the result; null: none.</summary>
    public string? MetricsFile { get; set; }

    /// <summary>The command being measured, for the record.</summary>
    public string? Command { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
