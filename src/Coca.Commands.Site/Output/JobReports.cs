using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Core.Ingest;
using Coca.Core.Jobs;
using Coca.Core.Reports;
using Coca.Core.Units;
using Coca.Server;
using Coca.Storage;
using Coca.Storage.Json;

namespace Coca.Commands.Site.Output;

/// <summary>A stored job as the one job report: Slurm's accounting and the sum of every node's measurement.</summary>
internal static class JobReports
{
    public static JobReport FromRow(JobRow j, IReadOnlyList<SeriesPoint>? series = null) => new()
    {
        JobId = j.JobId,
        JobIdRaw = j.JobIdRaw,
        Name = j.Name,
        User = j.User,
        Account = j.Account,
        Partition = j.Partition,
        Node = j.Nodes,
        Start = j.Start,
        End = j.End,
        ElapsedS = j.ElapsedS is { } s ? s : j.Start is { } a && j.End is { } b ? (b - a).TotalSeconds : null,
        State = j.State,
        ExitCode = j.ExitCode,
        GpuCount = j.Gpus,
        Energy = j.Energy,
        Coverage = j.Coverage,
        SlurmEnergyJ = j.SlurmEnergyJ,
        EmissionsG = j.EmissionsG,
        Pue = j.Pue,
        CarbonIntensityGPerKwh = j.CarbonIntensityGPerKwh,
        GpuUtilisation = j.GpuUtilisation,
        GpuUtilisationSource = j.GpuUtilisationSource,
        IdleGpuSeconds = j.IdleGpuSeconds,
        LastGpuActivity = j.LastGpuActivity,
        EnergyAfterLastGpuActivity = j.EnergyAfterLastGpuActivityUj is { } after ? new Energy(after) : null,
        Efficiency = JobEfficiency.Of(j.ElapsedS, j.TotalCpuS, j.AllocCpus, j.MaxRssBytes, j.ReqMemBytes, j.TimelimitS),
        PerGpu = series is null ? null : PerGpu(series),
        Tags = JobJson.TagsOf(j.Tags),
        Framework = j.Framework,
        Interactive = j.Interactive,
        Fingerprint = j.Fingerprint is { } f ? JobFingerprint.Format(f) : null,
        OtherCharge = j.OtherCharge,
    };

    /// <summary>
    /// The stored job as <c>coca job</c> prints it: the one report (<see cref="JobReportText"/>) and its carbon lines.
    /// Without <paramref name="withFindings"/> it is the plain report (no behaviours, no tips): what a user who opted out
    /// or is in an experiment's control arm still gets.
    /// </summary>
    public static (string Text, IReadOnlyList<string> FindingKinds) Text(IJobStore store, JobRow job, CocaSettings settings, bool withFindings = true)
    {
        var series = store.Series(job.JobIdRaw);
        var findings = withFindings ? JobFindings.Of(store, job, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings)) : null;
        var text = JobReportText.Render(FromRow(job, series) with { Findings = findings ?? [] })
            + CarbonLines.For(job, EmbodiedSettings.Factors(settings), store.CarbonMethod(job.JobIdRaw));
        return (text, findings is null ? [] : [.. findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Each device of the job's series with the mean of its utilisation points (null when it has none).</summary>
    public static IReadOnlyList<GpuUse> PerGpu(IReadOnlyList<SeriesPoint> series) =>
        series.GroupBy(p => (p.Node, p.Device))
            .OrderBy(g => g.Key.Node, StringComparer.Ordinal).ThenBy(g => g.Key.Device, StringComparer.Ordinal)
            .Select(g =>
            {
                var util = g.Select(p => p.Utilisation).Where(u => u is { } v && double.IsFinite(v)).Select(u => u!.Value).ToList();
                return new GpuUse(g.Key.Node, g.Key.Device, util.Count > 0 ? util.Average() : null, util.Count);
            })
            .ToList();

    /// <summary>An array's tasks as the array report: each task's energy measured, else Slurm's, else unknown.</summary>
    public static JobArrayReport Array(string arrayJobId, IReadOnlyList<JobRow> tasks)
    {
        var first = tasks.OrderBy(t => t.ArrayTaskId ?? int.MaxValue).First();
        var list = tasks.OrderBy(t => t.ArrayTaskId ?? int.MaxValue).ThenBy(t => t.JobId, StringComparer.Ordinal).Select(t => new ArrayTask(t.JobId, t.State, t.ElapsedS,
            t.TotalUj is { } uj ? uj / 3.6e12 : t.SlurmEnergyJ is { } j ? j / 3.6e6 : null,
            t.TotalUj is not null ? "measured" : t.SlurmEnergyJ is not null ? "slurm" : null)).ToList();
        return new JobArrayReport(arrayJobId, first.Name, first.User, list);
    }
}
