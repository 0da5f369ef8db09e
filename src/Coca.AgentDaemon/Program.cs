using System.CommandLine;
using Coca.Commands.Node;

// coca-agent [options]: exactly `coca agent [options]`, as a NativeAOT binary for the nodes.
var agent = NodeCommands.Agent();
var root = new RootCommand(agent.Description ?? "");
foreach (var option in agent.Options) root.Options.Add(option);
root.Action = agent.Action;
return await CommandLineHost.RunAsync(root, args, "coca-agent");
