using System.CommandLine;
using Coca.Cli;
using Coca.Cli.Commands;

var root = new RootCommand("""
    coca — energy and carbon of AI jobs, from one command on a laptop to a Slurm GPU cluster.

    Measures CPU (RAPL), memory and NVIDIA GPUs, estimates (and says so) where nothing can be measured,
    and turns energy into emissions with the grid's carbon intensity and the room's PUE.
    Settings: flag > environment (COCA_*) > config file (--config, $COCA_CONFIG, ~/.config/coca/config.toml) > default.
    Exit codes: 0 success, 1 failure, 2 usage error; `coca run` exits with the measured command's code.
    """);
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SensorsCommand.Create());
root.Subcommands.Add(CarbonCommand.Create());
root.Subcommands.Add(AttributeCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(SlurmCommand.Create());
#if COCA_NODE_EDITION
root.Description += "\n" + NodeEdition.Description;
root.Subcommands.Add(NodeEdition.NotInThisBuild("jobs", "List jobs from the store"));
root.Subcommands.Add(NodeEdition.NotInThisBuild("job", "One job from the store"));
root.Subcommands.Add(NodeEdition.NotInThisBuild("users", "Per-user totals from the store"));
root.Subcommands.Add(NodeEdition.NotInThisBuild("store", "The store's schema (coca store migrate)"));
root.Subcommands.Add(NodeEdition.NotInThisBuild("server", "The Coca4ai server"));
root.Subcommands.Add(NodeEdition.NotInThisBuild("token", "Agent and user tokens of the server"));
#else
root.Subcommands.Add(JobsCommands.Jobs());
root.Subcommands.Add(JobsCommands.Job());
root.Subcommands.Add(JobsCommands.Users());
root.Subcommands.Add(StoreCommand.Create());
root.Subcommands.Add(ServerCommands.Server());
root.Subcommands.Add(ServerCommands.Token());
#endif

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    var where = parse.CommandResult.Command == root ? "coca" : $"coca {parse.CommandResult.Command.Name}";
    Console.Error.WriteLine($"{where}: {parse.Errors[0].Message} (see `{where} --help`)");
    return ExitCodes.Usage;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine($"coca: {e.Message}");
    return ExitCodes.Usage;
}
#if !COCA_NODE_EDITION
catch (StoreUnavailableException e)
{
    Console.Error.WriteLine($"coca: {e.Message}");
    return ExitCodes.Failure;
}
#endif
catch (Coca.Tracker.Commands.CommandStartException e)
{
    Console.Error.WriteLine($"coca: {e.Message}");
    return e.ExitCode;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"coca: {e.Message}");
    return ExitCodes.Failure;
}
