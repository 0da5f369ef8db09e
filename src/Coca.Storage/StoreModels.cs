using Coca.Core.Accounting;
using Coca.Core.Units;

namespace Coca.Storage;

/// <summary>A job as the store answers it: Slurm's fields, and the energy the agents measured (null where none did).</summary>
public sealed record JobRow
{
    public required string JobIdRaw { get; init; }
    public required string JobId { get; init; }
    public string? ArrayJobId { get; init; }
    public int? ArrayTaskId { get; init; }
    public string? Name { get; init; }
    public string? User { get; init; }
    public string? Account { get; init; }
    public string? Partition { get; init; }
    public string? Nodes { get; init; }
    public int? Gpus { get; init; }
    public string? State { get; init; }
    public string? ExitCode { get; init; }
    public DateTimeOffset? Submit { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public long? ElapsedS { get; init; }
    public double? SlurmEnergyJ { get; init; }
    public long? CpuUj { get; init; }
    public long? DramUj { get; init; }
    public long? GpuUj { get; init; }
    public long? OtherUj { get; init; }
    public string? Provenance { get; init; }
    public double? Coverage { get; init; }
    public double? GpuUtilisation { get; init; }

    /// <summary>Who saw <see cref="GpuUtilisation"/>: <c>agent</c> (Coca4ai measured it) or <c>slurm</c> (gres/gpuutil); null when nobody.</summary>
    public string? GpuUtilisationSource { get; init; }
    public double? IdleGpuSeconds { get; init; }
    public DateTimeOffset? LastGpuActivity { get; init; }
    public long? EnergyAfterLastGpuActivityUj { get; init; }
    public double? Pue { get; init; }
    public double? CarbonIntensityGPerKwh { get; init; }
    public double? EmissionsG { get; init; }

    // Issue 13: seff's figures, the fingerprint, tags and type of activity (see AccountingJob and JobMeasurement).
    public double? TotalCpuS { get; init; }
    public int? AllocCpus { get; init; }
    public long? ReqMemBytes { get; init; }
    public long? MaxRssBytes { get; init; }
    public long? TimelimitS { get; init; }
    public long? Fingerprint { get; init; }
    public bool? Interactive { get; init; }
    public string? SubmitLine { get; init; }
    public string? WorkDir { get; init; }
    public string? ReqTres { get; init; }
    public string? Tags { get; init; }
    public string? Framework { get; init; }

    /// <summary>GPUs of the job that stayed at 0 % the whole run, and their energy (agent data); null when no agent said.</summary>
    public int? UnusedGpus { get; init; }
    public long? UnusedGpuUj { get; init; }

    // Issue 16: how other was charged (job_nodes' agreed, Sql/OtherCharges); null without a node meter or model.
    public string? OtherRule { get; init; }
    public string? OtherSource { get; init; }
    public double? OtherMapePct { get; init; }

    /// <summary>How the job's <c>other</c> was charged; null when no node had a meter or model.</summary>
    public Coca.Core.Attribution.OtherCharge? OtherCharge => OtherRule is { } rule && OtherSource is { } source ? new(rule, source, OtherMapePct) : null;

    public long? TotalUj => CpuUj is null && DramUj is null && GpuUj is null && OtherUj is null ? null : (CpuUj ?? 0) + (DramUj ?? 0) + (GpuUj ?? 0) + (OtherUj ?? 0);

    /// <summary>The measured energy per component with its provenance; null when no agent reported the job.</summary>
    public ComponentEnergy? Energy
    {
        get
        {
            if (TotalUj is null) return null;
            var words = Provenance?.Split(',') ?? [];
            var energy = new ComponentEnergy();
            foreach (var (component, uj) in new[] { (ComponentKind.Cpu, CpuUj), (ComponentKind.Dram, DramUj), (ComponentKind.Gpu, GpuUj), (ComponentKind.Other, OtherUj) })
            {
                var word = (int)component < words.Length ? words[(int)component].Trim() : "none";
                energy.Add(component, new Energy(uj ?? 0), ProvenanceExtensions.FromWire(word));
            }
            return energy;
        }
    }
}

/// <summary>Which jobs to list. Times select by submit time.</summary>
public sealed record JobQuery(string? User = null, string? Account = null, string? State = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, int Limit = 10_000)
{
    public string? Partition { get; init; }

    /// <summary>Jobs that ran on this node (their node list, a Slurm host list, holds it). Lists only: <see cref="IJobStore.Summary"/> refuses it.</summary>
    public string? Node { get; init; }

    /// <summary>One <c>key=value</c> tag (<see cref="Coca.Core.Jobs.JobTags.TryFilter"/>); anything else is an <see cref="ArgumentException"/>.</summary>
    public string? Tag { get; init; }

    /// <summary>The tasks of one job array (<c>123</c> of <c>123_4</c>).</summary>
    public string? ArrayJobId { get; init; }

    /// <summary>The runs of one sweep: jobs with this fingerprint (<see cref="Coca.Core.Jobs.JobFingerprint"/>).</summary>
    public long? Fingerprint { get; init; }
    /// <summary>The order of a listing (<see cref="IJobStore.Jobs"/>); ties fall back to the job's id.</summary>
    public JobOrder Order { get; init; } = JobOrder.Oldest;

    /// <summary>Rows of the ordered listing skipped before the first one returned: a page's start.</summary>
    public int Offset { get; init; }
}

/// <summary>How a listing is ordered: by the job's time (submitted, else started) or by its measured energy (unknown last).</summary>
public enum JobOrder { Oldest, Newest, MostEnergy, LeastEnergy }

/// <summary>What <see cref="IJobStore.Breakdown"/> groups by: the job's UTC day (<c>2026-03-01</c>), ISO week (named by its Monday), partition or account.</summary>
public enum JobGrouping { Day, Week, Partition, Account }

/// <summary>A browser's session (or, just redeemed, its secret for the cookie): whose, which role, the token its forms carry, when it ends.</summary>
public sealed record WebSession(string Secret, string Role, string Subject, string Csrf, DateTimeOffset Expires);

/// <summary>
/// What some jobs cost together. <see cref="EnergyKwh"/> and <see cref="EmissionsG"/> are what the agents measured,
/// summed over <see cref="MeasuredJobs"/> (null when none was measured: unknown, never 0). Where no agent measured a
/// job but Slurm's ConsumedEnergyRaw exists, it is summed apart, in <see cref="SlurmEnergyKwh"/> over
/// <see cref="SlurmEnergyJobs"/>; <see cref="UnknownEnergyJobs"/> have neither.
/// </summary>
public sealed record JobTotals(long Jobs, double GpuHours, double? EnergyKwh, double? EmissionsG)
{
    public long MeasuredJobs { get; init; }
    public long UnknownEnergyJobs { get; init; }
    public double? SlurmEnergyKwh { get; init; }
    public long SlurmEnergyJobs { get; init; }

    public static readonly JobTotals Zero = new(0, 0, null, null);

    public JobTotals Add(JobTotals other) => new(Jobs + other.Jobs, GpuHours + other.GpuHours, Sum(EnergyKwh, other.EnergyKwh), Sum(EmissionsG, other.EmissionsG))
    {
        MeasuredJobs = MeasuredJobs + other.MeasuredJobs,
        UnknownEnergyJobs = UnknownEnergyJobs + other.UnknownEnergyJobs,
        SlurmEnergyKwh = Sum(SlurmEnergyKwh, other.SlurmEnergyKwh),
        SlurmEnergyJobs = SlurmEnergyJobs + other.SlurmEnergyJobs,
    };

    private static double? Sum(double? a, double? b) => a is null ? b : b is null ? a : a + b;
}

/// <summary>A group of a summary: a month (<c>2025-03</c>, UTC, by submit time) or a state (<c>FAILED</c>; <c>UNKNOWN</c> when Slurm has not said).</summary>
public sealed record SummaryGroup(string Key, JobTotals Totals);

/// <summary>
/// The jobs a query selects, summed by the store rather than listed: the total, each month, each state, and the
/// share of the measured energy spent in jobs that did not complete (<see cref="JobStates"/>): among jobs whose end
/// is known, so a job sacct has not returned yet counts on neither side. Null when no such energy was measured.
/// </summary>
public sealed record JobSummary(JobTotals Total, IReadOnlyList<SummaryGroup> Months, IReadOnlyList<SummaryGroup> States)
{
    public double? ShareNotCompleted
    {
        get
        {
            var ended = States.Where(s => JobStates.HasCompleted(s.Key) is not null && s.Totals.EnergyKwh is not null).ToList();
            var all = ended.Sum(s => s.Totals.EnergyKwh!.Value);
            return all > 0 ? ended.Where(s => JobStates.HasCompleted(s.Key) == false).Sum(s => s.Totals.EnergyKwh!.Value) / all : null;
        }
    }
}

/// <summary>One user's totals over a period: as <see cref="JobTotals"/>, with the share as <see cref="JobSummary.ShareNotCompleted"/> defines it.</summary>
public sealed record UserTotals(string User, long Jobs, double GpuHours, double? EnergyKwh, double? EmissionsG, double? ShareNotCompleted)
{
    public long MeasuredJobs { get; init; }
    public long UnknownEnergyJobs { get; init; }
    public double? SlurmEnergyKwh { get; init; }
    public long SlurmEnergyJobs { get; init; }
}

/// <summary>What an import or ingest changed.</summary>
public sealed record UpsertResult(int Inserted, int Updated, int Unchanged, int Refused = 0);

/// <summary>A job whose figures a node sent but the store refused (see <see cref="IJobStore.Ingest"/>), and why.</summary>
public sealed record IngestRefusal(string JobIdRaw, string Reason);

/// <summary>What an agent's batch changed: its jobs' rows, the series points kept, and the jobs refused.</summary>
public sealed record IngestOutcome(UpsertResult Jobs, int SeriesPoints, IReadOnlyList<IngestRefusal> Refused);

/// <summary>An API token: who it speaks for. The token itself is never stored, only its hash.</summary>
public sealed record TokenInfo(string TokenId, string Role, string Subject, DateTimeOffset Created, bool Revoked);

public static class TokenRoles
{
    /// <summary>A node agent: may ingest for its node.</summary>
    public const string Agent = "agent";
    /// <summary>A user: sees only their own jobs.</summary>
    public const string User = "user";
    /// <summary>Sees everything.</summary>
    public const string Admin = "admin";
    /// <summary>A dashboard session's role <c>manager:ACCOUNT</c> (<see cref="ManagerRole"/>): sees the jobs of one Slurm account.</summary>
    public const string ManagerPrefix = "manager:";
}
