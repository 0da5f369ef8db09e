using Coca.Core.Carbon;

namespace Coca.Server;

/// <summary>How <c>coca server</c> runs.</summary>
public sealed class ServerOptions
{
    /// <summary>URL(s) to listen on, e.g. http://127.0.0.1:8080.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The store location (sqlite:PATH or postgres://…).</summary>
    public required string Store { get; set; }

    /// <summary>Carbon inputs stored with each job's energy.</summary>
    public CarbonInputs Carbon { get; set; } = CarbonInputs.Resolve(null, null, 1.0);

    /// <summary>The hardware's footprint and how it is shared out: each job's <c>embodied_g</c>, computed at read time.</summary>
    public EmbodiedFactors Embodied { get; set; } = EmbodiedFactors.Defaults;

    /// <summary>How long per-device series points are kept; older ones are pruned every hour. Jobs' totals are kept for ever.</summary>
    public TimeSpan SeriesRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The thresholds of <c>GET /api/v1/behaviours</c> (<c>[behaviours]</c>).</summary>
    public Coca.Core.Analysis.BehaviourRules Behaviours { get; set; } = Coca.Core.Analysis.BehaviourRules.Defaults;

    /// <summary>Largest ingest body accepted, bytes.</summary>
    public long MaxBatchBytes { get; set; } = 16 * 1024 * 1024;
}
