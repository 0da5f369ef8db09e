using System.Text.Json.Serialization;
using System.Text.Json;
using Coca.Core.Ingest;
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
        };
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

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(JobJson))]
[JsonSerializable(typeof(JobsJson))]
[JsonSerializable(typeof(IReadOnlyList<JobJson>))]
[JsonSerializable(typeof(UsersJson))]
[JsonSerializable(typeof(JobSummary))]
[JsonSerializable(typeof(IngestBatch))]
public sealed partial class StoreJsonContext : JsonSerializerContext
{
    /// <summary>snake_case, relaxed escaping: for people and scripts, never embedded in HTML.</summary>
    public static StoreJsonContext Relaxed { get; } = new(Coca.Core.Json.JsonDefaults.Relaxed());
}
