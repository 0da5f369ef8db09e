using System.CommandLine;
using Coca.Commands.Node;

namespace Coca.Cli.Editions;

/// <summary>
/// A stand-in for a command the node edition leaves out: still listed, and it says where the command lives
/// instead of "unrecognized command".
/// </summary>
internal static class NotInThisBuild
{
    /// <param name="path">The command as typed, e.g. "slurm import-sacct".</param>
    /// <param name="consequence">What else the missing command means for the user, said after where it lives.</param>
    public static Command Command(string path, string description, string? consequence = null)
    {
        var name = path.Split(' ')[^1];
        var command = new Command(name, $"{description} (not in the node edition)") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"coca {path}: not in this build — the node edition of coca has no server and no store; use the full build (`dotnet publish src/Coca.Cli` without -p:CocaEdition=node){(consequence is null ? "" : $"; {consequence}")}");
            return ExitCodes.Usage;
        });
        return command;
    }
}
