using System.Text.Json.Serialization;
using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Core.Jobs;
using Coca.Core.Reports;
using Coca.Core.Units;

namespace Coca.Storage.Json;

/// <summary>A job as <c>coca jobs --json</c> and the server's API print it. Field names are a public contract.</summary>
public sealed record JobJson(
    string JobId,
    string JobIdRaw,
    string? ArrayJobId,
    int? ArrayTaskId,
    string? Name,
    string? User,
    string? Account,
    string? Partition,
    string? Nodes,
    int? Gpus,
    string? State,
    string? ExitCode,
    DateTimeOffset? Submit,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    long? ElapsedS,
    double? SlurmEnergyJ,
    EnergyJson? EnergyJ,
    ProvenanceJson? Provenance,
    double? Coverage,
    double? GpuUtilisation,
    double? IdleGpuSeconds,
    DateTimeOffset? LastGpuActivity,
    double? EnergyAfterLastGpuActivityJ,
    CarbonJson? Carbon,
    double? EmissionsG)
{
    /// <summary>Who saw <see cref="GpuUtilisation"/>: <c>agent</c> or <c>slurm</c> (gres/gpuutil); null when nobody did.</summary>
    public string? GpuUtilisationSource { get; init; }

    // seff's inputs (sacct) and figures: each figure null with its reason when an input is missing.
    public double? TotalCpuS { get; init; }
    public int? AllocCpus { get; init; }
    public long? ReqMemBytes { get; init; }
    public long? MaxRssBytes { get; init; }
    public long? TimelimitS { get; init; }
    public JobEfficiency? Efficiency { get; init; }

    /// <summary>Tags from the job's comment (<c>key=value</c>); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public string? Framework { get; init; }
    public bool? Interactive { get; init; }

    /// <summary>16 hex digits (<see cref="JobFingerprint.Format"/>); null when the job has no name, submit line or work dir.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The range around the measured total the sources' accuracy and unmeasured time allow (<see cref="EnergyUncertainty"/>).</summary>
    public EnergyBand? UncertaintyJ { get; init; }

    /// <summary>How <c>other</c> was charged: rule, basis (measured by a node meter, derived from a calibration), source, calibration, model error.</summary>
    public Coca.Core.Attribution.OtherCharge? OtherCharge { get; init; }

    /// <summary>GPUs of the job that an agent saw at 0 % the whole run, and their energy; null when no agent said.</summary>
    public int? UnusedGpus { get; init; }
    public double? UnusedGpuEnergyJ { get; init; }

    /// <summary>Each GPU's utilisation from the stored series: <c>coca job</c> only (absent from listings).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<GpuUse>? PerGpu { get; init; }

    /// <summary>The behaviours found in the job, with wasted energy and tip: <c>coca job</c> only (absent from listings).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<JobFinding>? Findings { get; init; }

    /// <summary>What the job's script reported (<c>coca metric</c>, an import), by name and step: <c>coca job</c> only, absent when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<JobMetricJson>? Metrics { get; init; }

    /// <summary>The hardware's share of the job, g (<see cref="CarbonJsonParts"/>); null with <see cref="EmbodiedNote"/> saying why.</summary>
    public double? EmbodiedG { get; init; }
    public string? EmbodiedNote { get; init; }

    /// <summary><see cref="EmissionsG"/> + <see cref="EmbodiedG"/>; null unless both are known.</summary>
    public double? EmissionsAndEmbodiedG { get; init; }

    public static JobJson From(JobRow r)
    {
        var measured = r.Energy; // decoded once from the row's columns
        EnergyJson? energy = measured is { } e ? new EnergyJson(e[ComponentKind.Gpu].Joules, e[ComponentKind.Cpu].Joules, e[ComponentKind.Dram].Joules, e[ComponentKind.Other].Joules) : null;
        ProvenanceJson? provenance = measured is { } m
            ? new ProvenanceJson(m.ProvenanceOf(ComponentKind.Gpu).ToWire(), m.ProvenanceOf(ComponentKind.Cpu).ToWire(), m.ProvenanceOf(ComponentKind.Dram).ToWire(), m.ProvenanceOf(ComponentKind.Other).ToWire())
            : null;
        CarbonJson? carbon = r.Pue is { } pue && r.CarbonIntensityGPerKwh is { } ci ? new CarbonJson(pue, ci) : null;
        return new JobJson(r.JobId, r.JobIdRaw, r.ArrayJobId, r.ArrayTaskId, r.Name, r.User, r.Account, r.Partition, r.Nodes, r.Gpus, r.State, r.ExitCode,
            r.Submit, r.Start, r.End, r.ElapsedS, r.SlurmEnergyJ, energy, provenance, r.Coverage, r.GpuUtilisation, r.IdleGpuSeconds,
            r.LastGpuActivity, r.EnergyAfterLastGpuActivityUj is { } after ? new Energy(after).Joules : null, carbon, r.EmissionsG)
        {
            GpuUtilisationSource = r.GpuUtilisationSource,
            TotalCpuS = r.TotalCpuS,
            AllocCpus = r.AllocCpus,
            ReqMemBytes = r.ReqMemBytes,
            MaxRssBytes = r.MaxRssBytes,
            TimelimitS = r.TimelimitS,
            Efficiency = JobEfficiency.Of(r.ElapsedS, r.TotalCpuS, r.AllocCpus, r.MaxRssBytes, r.ReqMemBytes, r.TimelimitS),
            Tags = TagsOf(r.Tags),
            Framework = r.Framework,
            Interactive = r.Interactive,
            Fingerprint = r.Fingerprint is { } f ? JobFingerprint.Format(f) : null,
            UncertaintyJ = measured is { } band ? EnergyUncertainty.Of(band, r.Coverage, r.OtherCharge) : null,
            OtherCharge = r.OtherCharge,
            UnusedGpus = r.UnusedGpus,
            UnusedGpuEnergyJ = r.UnusedGpuUj is { } unused ? new Energy(unused).Joules : null,
        };
    }

    /// <summary>The stored " k=v k=v " column as a map, in its order.</summary>
    public static IReadOnlyDictionary<string, string> TagsOf(string? column)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in JobTags.Parse(column)) tags.TryAdd(pair.Key, pair.Value);
        return tags;
    }
}

public sealed record EnergyJson(double Gpu, double Cpu, double Dram, double Other)
{
    public double Total => Gpu + Cpu + Dram + Other;
}

public sealed record ProvenanceJson(string Gpu, string Cpu, string Dram, string Other);

public sealed record CarbonJson(double Pue, double CarbonIntensityGPerKwh)
{
    /// <summary><c>hourly</c> or <c>yearly</c>; the zone and basis of the series; the share of the energy that met an hourly figure.</summary>
    public string? Method { get; init; }
    public string? Zone { get; init; }
    public string? Basis { get; init; }
    public double? SeriesCoverage { get; init; }

    /// <summary><c>series</c> (the job's own series placed its energy) or <c>uniform</c> (spread from start to end).</summary>
    public string? Timeline { get; init; }

    /// <summary>Whose energy: <c>agent</c>, or <c>slurm</c> (ConsumedEnergyRaw, where no agent measured the job).</summary>
    public string? Energy { get; init; }
}

public sealed record JobsJson(IReadOnlyList<JobJson> Jobs);

/// <summary>
/// One user's totals: <c>energy_kwh</c> and <c>emissions_g</c> are what agents measured over <c>measured_jobs</c> (null when none
/// was); <c>slurm_energy_kwh</c> is Slurm's ConsumedEnergyRaw over <c>slurm_energy_jobs</c> that no agent measured; <c>unknown_energy_jobs</c>
/// have neither. <c>share_of_energy_not_completed</c> is among the measured jobs whose end is known (null when there are none).
/// </summary>
public sealed record UserJson(string User, long Jobs, double GpuHours, double? EnergyKwh, double? EmissionsG, double? ShareOfEnergyNotCompleted)
{
    public long MeasuredJobs { get; init; }
    public long UnknownEnergyJobs { get; init; }
    public double? SlurmEnergyKwh { get; init; }
    public long SlurmEnergyJobs { get; init; }

    /// <summary>The hardware's share of the user's GPU jobs (from their GPU-hours), g; CPU-only jobs' share is in each job's figure only.</summary>
    public double? EmbodiedG { get; init; }

    /// <summary><see cref="EmissionsG"/> (measured jobs) + <see cref="EmbodiedG"/>; null unless both are known.</summary>
    public double? EmissionsAndEmbodiedG { get; init; }

    public static UserJson From(UserTotals u) => new(u.User, u.Jobs, u.GpuHours, u.EnergyKwh, u.EmissionsG, u.ShareNotCompleted)
    {
        MeasuredJobs = u.MeasuredJobs,
        UnknownEnergyJobs = u.UnknownEnergyJobs,
        SlurmEnergyKwh = u.SlurmEnergyKwh,
        SlurmEnergyJobs = u.SlurmEnergyJobs,
    };
}

public sealed record UsersJson(IReadOnlyList<UserJson> Users);

/// <summary>One metric point of a job, as <c>coca job --json</c> lists it; step null when none was given, time when known.</summary>
public sealed record JobMetricJson(string Name, double Value, long? Step, DateTimeOffset? Time)
{
    /// <summary>The points, or null when there are none (the key is then left out).</summary>
    public static IReadOnlyList<JobMetricJson>? Of(IReadOnlyList<Coca.Core.Metrics.JobMetric> metrics) =>
        metrics.Count == 0 ? null : [.. metrics.Select(m => new JobMetricJson(m.Point.Name, m.Point.Value, m.Point.Step, m.Point.Time))];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(JobJson))]
[JsonSerializable(typeof(JobsJson))]
[JsonSerializable(typeof(IReadOnlyList<JobJson>))]
[JsonSerializable(typeof(UsersJson))]
[JsonSerializable(typeof(JobSummary))]
[JsonSerializable(typeof(JobArrayReport))]
[JsonSerializable(typeof(IngestBatch))]
public sealed partial class StoreJsonContext : JsonSerializerContext
{
    /// <summary>snake_case, relaxed escaping: for people and scripts, never embedded in HTML.</summary>
    public static StoreJsonContext Relaxed { get; } = new(Coca.Core.Json.JsonDefaults.Relaxed());
}
