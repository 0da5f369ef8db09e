using System.CommandLine;
using Coca.Cli;
using Coca.Cli.Commands;

// coca-agent [options]: exactly `coca agent [options]`, as a NativeAOT binary for the nodes.
var agent = AgentCommand.Create();
var root = new RootCommand(agent.Description ?? "");
foreach (var option in agent.Options) root.Options.Add(option);
root.Action = agent.Action;

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"coca-agent: {parse.Errors[0].Message} (see `coca-agent --help`)");
    return ExitCodes.Usage;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine($"coca-agent: {e.Message}");
    return ExitCodes.Usage;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"coca-agent: {e.Message}");
    return ExitCodes.Failure;
}
