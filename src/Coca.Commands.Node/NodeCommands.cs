using System.CommandLine;

namespace Coca.Commands.Node;

/// <summary>The node commands, as the entry projects take them: both editions of <c>coca</c>, and <c>coca-agent</c>.</summary>
public static class NodeCommands
{
    /// <summary>run, track, runs, metric, sensors, carbon, attribute, calibrate, agent and slurm, in the order <c>coca --help</c> lists them.</summary>
    /// <param name="slurmAccounting">
    /// The store's subcommands of <c>coca slurm</c> (import-sacct, sync), or stand-ins that say they are not in this
    /// build: this library knows no store, so the edition hands them in.
    /// </param>
    /// <param name="carbon">The store's part of <c>coca carbon</c> (series import, recompute, <c>--at</c>); null: none.</param>
    /// <param name="history">The local history of runs and <c>coca runs</c>; null: runs are not recorded and there is no <c>coca runs</c>.</param>
    public static IEnumerable<Command> Create(IEnumerable<Command> slurmAccounting, CarbonExtensions? carbon = null, RunHistoryExtensions? history = null) =>
    [
        RunCommand.Create(history),
        TrackCommand.Create(history),
        .. history is null ? Array.Empty<Command>() : [history.List],
        MetricCommand.Create(),
        SensorsCommand.Create(),
        CarbonCommand.Create(carbon),
        AttributeCommand.Create(),
        CalibrateCommand.Create(),
        AgentCommand.Create(),
        SlurmCommand.Create(slurmAccounting),
    ];

    /// <summary><c>coca agent</c> alone, which coca-agent is.</summary>
    public static Command Agent() => AgentCommand.Create();
}
