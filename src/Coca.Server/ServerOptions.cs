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

    /// <summary>How long a dashboard session lasts after its login link is redeemed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The header a trusted reverse proxy names the signed-in user in (<c>X-Remote-User</c>); null: none is read.</summary>
    public string? TrustedUserHeader { get; set; }

    /// <summary>The proxies whose <see cref="TrustedUserHeader"/> is believed; from any other address the header is ignored.</summary>
    public IReadOnlyList<System.Net.IPAddress> TrustedProxies { get; set; } = [];

    /// <summary>Users a trusted proxy names who see every job (<c>[site] admins</c>); root always does.</summary>
    public IReadOnlySet<string> Admins { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The clock the dashboard's "last 30 days" and months are read from.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Largest ingest body accepted, bytes.</summary>
    public long MaxBatchBytes { get; set; } = 16 * 1024 * 1024;
}
