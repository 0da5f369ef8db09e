using Coca.Core.Reports;
using Coca.Core.Units;
using Coca.Storage;

namespace Coca.Commands.Site.Output;

/// <summary>A stored job as the one job report: Slurm's accounting and the sum of every node's measurement.</summary>
internal static class JobReports
{
    public static JobReport FromRow(JobRow j) => new()
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
    };
}
