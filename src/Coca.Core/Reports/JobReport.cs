using System.Text.Json.Serialization;
using Coca.Core.Attribution;
using Coca.Core.Units;

namespace Coca.Core.Reports;

/// <summary>
/// What a job cost and how it used what it held: the one model behind every job report — the agent's at job end
/// (from its books, one node) and <c>coca job</c>'s (from the store: Slurm's accounting and every node's figures).
/// A field nobody knows is null, never 0.
/// </summary>
public sealed record JobReport
{
    public required string JobId { get; init; }

    /// <summary>Slurm's unique id when it differs from what users type (array tasks: <c>123_4</c> vs the raw id).</summary>
    public string? JobIdRaw { get; init; }
    public string? Name { get; init; }
    public string? User { get; init; }
    public string? Account { get; init; }
    public string? Partition { get; init; }

    /// <summary>Node or node list.</summary>
    public string? Node { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double? ElapsedS { get; init; }

    /// <summary>Slurm's final state; null until the accounting says.</summary>
    public string? State { get; init; }
    public string? ExitCode { get; init; }

    /// <summary>The held GPUs by id (the agent knows them); <see cref="GpuCount"/> when only their number is known.</summary>
    public IReadOnlyList<string> Gpus { get; init; } = [];
    public int? GpuCount { get; init; }

    /// <summary>Energy per component with provenance; null when no agent measured the job.</summary>
    [JsonIgnore] public ComponentEnergy? Energy { get; init; }

    /// <summary>Share of the job's time that had readings, 0–1.</summary>
    public double? Coverage { get; init; }

    /// <summary>Slurm's own figure (ConsumedEnergyRaw), J, for comparison.</summary>
    public double? SlurmEnergyJ { get; init; }
    public double? EmissionsG { get; init; }
    public double? Pue { get; init; }
    public double? CarbonIntensityGPerKwh { get; init; }
    public double? GpuUtilisation { get; init; }

    /// <summary>Who saw <see cref="GpuUtilisation"/>: <c>agent</c>, or <c>slurm</c> (gres/gpuutil) where no agent measured it.</summary>
    public string? GpuUtilisationSource { get; init; }
    public double? IdleGpuSeconds { get; init; }
    public DateTimeOffset? LastGpuActivity { get; init; }
    [JsonIgnore] public Energy? EnergyAfterLastGpuActivity { get; init; }
    public string? CpuShareBasis { get; init; }

    /// <summary>How <c>other</c> (what only the node meter sees) was charged: the rule, the meter or model, its error; null without one.</summary>
    public OtherCharge? OtherCharge { get; init; }

    /// <summary><see cref="OtherCharge"/> in words, as the text prints it (the agent's JSON has had it since issue 16).</summary>
    public string? OtherBasis => OtherCharge?.Text;

    /// <summary>Held GPUs never seen above 0 % utilisation (agent data); null when not known.</summary>
    public int? UnusedGpus { get; init; }

    // From the store only (coca job): seff's figures, per-GPU use, the type of activity, and the behaviours' findings.
    // The agent's job-end report leaves them unset and renders as before.

    /// <summary>CPU, memory and time-limit efficiency; null when the report has no accounting (the agent's).</summary>
    public JobEfficiency? Efficiency { get; init; }

    /// <summary>Each GPU's utilisation from the job's stored series; null when not looked up, empty when no series.</summary>
    public IReadOnlyList<GpuUse>? PerGpu { get; init; }

    /// <summary>The job's tags (<c>--comment "model=resnet50"</c>), in the comment's order; empty when none.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The ML framework the agent saw the job's processes map (<c>pytorch</c>, …); null when none was seen.</summary>
    public string? Framework { get; init; }

    /// <summary>Interactive (salloc, srun --pty, notebooks) or batch; null when unknown.</summary>
    public bool? Interactive { get; init; }

    /// <summary>The job's fingerprint as typed (<see cref="Jobs.JobFingerprint.Format"/>); null when the job has none.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The behaviours found in this job, each with its wasted energy and tip; rendered when not empty.</summary>
    public IReadOnlyList<JobFinding> Findings { get; init; } = [];

    // The JSON the agent writes next to the text (reports/<job>.json): energy in joules per component.
    public IReadOnlyDictionary<string, double>? EnergyJ => Energy is { } e ? ComponentEnergy.Components.ToDictionary(c => c.ToWire(), c => e[c].Joules) : null;
    public IReadOnlyDictionary<string, string>? Provenance => Energy is { } e ? ComponentEnergy.Components.ToDictionary(c => c.ToWire(), c => e.ProvenanceOf(c).ToWire()) : null;
    public double? TotalJ => Energy?.Total.Joules;

    /// <summary>The range the sources' accuracy and the unmeasured time allow around <see cref="TotalJ"/>.</summary>
    public EnergyBand? UncertaintyJ => Energy is { } e ? EnergyUncertainty.Of(e, Coverage, OtherCharge) : null;
    public double? EnergyAfterLastGpuActivityJ => EnergyAfterLastGpuActivity?.Joules;

    /// <summary>A finished job's report from the agent's books on one node.</summary>
    /// <param name="meter">The node meter's account (<see cref="Books.NodeMeter"/>), which names how <c>other</c> was charged.</param>
    public static JobReport FromBook(JobBook book, string node, NodeMeterBook? meter = null)
    {
        var end = book.End ?? book.FinalAt ?? book.Start;
        var elapsed = Math.Max(0, end - book.Start);
        return new JobReport
        {
            JobId = book.JobId,
            User = book.User,
            Node = node,
            Start = FromUnix(book.Start),
            End = book.End is { } e ? FromUnix(e) : null,
            ElapsedS = elapsed,
            Gpus = book.Gpus,
            GpuCount = book.Gpus.Count,
            Energy = book.Energy,
            Coverage = book.Coverage(end),
            GpuUtilisation = book.GpuSeconds > 0 ? book.GpuBusySeconds / book.GpuSeconds : null,
            GpuUtilisationSource = book.GpuSeconds > 0 ? "agent" : null,
            IdleGpuSeconds = book.Gpus.Count > 0 ? book.IdleGpuSeconds : null,
            LastGpuActivity = book.LastGpuActivity is { } a ? FromUnix(a) : null,
            EnergyAfterLastGpuActivity = new Energy(book.EnergyAfterLastGpuActivityUj),
            CpuShareBasis = book.CpuShareBasis,
            OtherCharge = OtherCharge.Of(meter),
            UnusedGpus = book.Gpus.Count > 0 ? book.UnusedGpus(out _) : null,
        };
    }

    private static DateTimeOffset FromUnix(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}
