namespace Coca.Core.Extrapolation;

/// <summary>
/// A site job as the extrapolation reads it. Energy in joules (the agents', else Slurm's; null when neither knows it);
/// <see cref="GpuType"/> from the job's typed GPU TRES (<c>gres/gpu:a100=2</c>), null when untyped.
/// </summary>
public sealed record SiteJob
{
    public required string JobId { get; init; }
    public string? ArrayJobId { get; init; }
    public string? User { get; init; }
    public long Fingerprint { get; init; }
    public string? State { get; init; }
    public DateTimeOffset? Submit { get; init; }
    public DateTimeOffset? Start { get; init; }
    public long? ElapsedS { get; init; }
    public int Gpus { get; init; }
    public string? GpuType { get; init; }
    public double? EnergyJ { get; init; }
    public double? GpuUtilisation { get; init; }
    public bool Interactive { get; init; }
    public double? EnergyAfterLastGpuActivityJ { get; init; }

    public double GpuHours => ElapsedS is > 0 and var s ? Gpus * s / 3600.0 : 0;

    /// <summary>The GPU type from a TRES text: the first typed <c>gres/gpu:TYPE=N</c>, lower case.</summary>
    public static string? TypeFromTres(string? tres)
    {
        foreach (var part in (tres ?? "").Split(','))
        {
            var p = part.Trim();
            if (!p.StartsWith("gres/gpu:", StringComparison.Ordinal)) continue;
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            var type = (eq > 0 ? p[9..eq] : p[9..]).ToLowerInvariant();
            if (type.Length > 0) return type;
        }
        return null;
    }
}
