using System.CommandLine;

namespace Coca.Cli.Commands;

/// <summary>
/// The node edition of <c>coca</c> (<c>-p:CocaEdition=node</c>) leaves out the server and the store: a command that
/// needs them is still listed, and says where it lives instead of "unrecognized command".
/// </summary>
internal static class NodeEdition
{
    public const string Description = "This is the node edition (run, sensors, carbon, attribute, agent, slurm prolog/epilog): no server, no store.";

    /// <param name="path">The command as typed, e.g. "slurm import-sacct".</param>
    public static Command NotInThisBuild(string path, string description)
    {
        var name = path.Split(' ')[^1];
        var command = new Command(name, $"{description} (not in the node edition)") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"coca {path}: not in this build — the node edition of coca has no server and no store; use the full build (`dotnet publish src/Coca.Cli` without -p:CocaEdition=node)");
            return ExitCodes.Usage;
        });
        return command;
    }
}
