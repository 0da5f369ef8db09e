using System.CommandLine;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary>
/// One finished <c>coca run</c> or <c>coca track</c>, flat, for whoever keeps a history of them: the site's library
/// reaches this one, not the tracker's <see cref="RunResult"/>.
/// </summary>
/// <param name="Pid">The process <c>coca track</c> measured; null under <c>coca run</c>.</param>
/// <param name="EmissionsG">Machine-level, as <c>carbon.emissions_g</c>.</param>
/// <param name="ResultJson"><c>coca run --json</c>'s object, metrics included.</param>
public sealed record FinishedRun(
    string RunId, string Project, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string? Command, int? Pid,
    double CpuJ, double DramJ, double GpuJ, double OtherJ, double EmissionsG, int? ExitCode, string ResultJson)
{
    public static FinishedRun Of(RunResult result, int? pid) => new(
        result.RunId, result.Project, result.StartedAt, result.EndedAt, result.Command, pid,
        result.EnergyJ.Cpu, result.EnergyJ.Dram, result.EnergyJ.Gpu, result.EnergyJ.Other, result.Carbon.EmissionsG,
        result.ExitCode, RunResultJson.Serialize(result));
}

/// <summary>
/// What the site's library adds to <c>coca run</c> and <c>coca track</c>: a local history of their results, and
/// <c>coca runs</c> to list it (a stand-in in the node edition). This library knows no store, so the edition hands
/// both in.
/// </summary>
/// <param name="Record">Keeps one run; returns null, or why it could not: a one-line warning, never the run's failure. Null: runs are not recorded.</param>
/// <param name="List"><c>coca runs</c>.</param>
public sealed record RunHistoryExtensions(Func<FinishedRun, string?>? Record, Command List);
