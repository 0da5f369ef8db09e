using System.CommandLine;
using Coca.Commands.Node;

namespace Coca.Cli.Editions;

/// <summary>
/// The node edition (<c>-p:CocaEdition=node</c>), for compute nodes and laptops: the node commands without the
/// server and the store, whose commands are still listed and say where they live.
/// </summary>
internal static class Edition
{
    public const string Description = "This is the node edition (run, sensors, carbon, attribute, agent, slurm prolog/epilog): no server, no store.";

    public static void AddCommands(RootCommand root)
    {
        root.Description += "\n" + Description;
        Command[] slurmAccounting =
        [
            NotInThisBuild.Command("slurm import-sacct", "Import Slurm accounting into the store"),
            NotInThisBuild.Command("slurm sync", "Keep the store in step with Slurm accounting"),
            NotInThisBuild.Command("slurm mail", "Slurm's MailProg, with the job's report added"),
        ];
        var series = new Command("series", "The store's grid intensity series (not in the node edition)");
        series.Subcommands.Add(NotInThisBuild.Command("carbon series import", "Import a grid intensity series into the store"));
        var carbon = new CarbonExtensions([series, NotInThisBuild.Command("carbon recompute", "Recompute stored jobs' emissions")]);
        // No history in this edition: runs are not recorded, and `coca runs` says so.
        var history = new RunHistoryExtensions(null, NotInThisBuild.Command("runs", "The local history of coca run and coca track", "runs are not recorded"));
        foreach (var command in NodeCommands.Create(slurmAccounting, carbon, history)) root.Subcommands.Add(command);
        root.Subcommands.Add(NotInThisBuild.Command("jobs", "List jobs from the store"));
        root.Subcommands.Add(NotInThisBuild.Command("job", "One job from the store"));
        root.Subcommands.Add(NotInThisBuild.Command("users", "Per-user totals from the store"));
        root.Subcommands.Add(NotInThisBuild.Command("store", "The store's schema (coca store migrate)"));
        root.Subcommands.Add(NotInThisBuild.Command("server", "The Coca4ai server"));
        root.Subcommands.Add(NotInThisBuild.Command("token", "Agent and user tokens of the server"));
        root.Subcommands.Add(NotInThisBuild.Command("simulate", "A simulated cluster's data, for the site commands"));
        root.Subcommands.Add(NotInThisBuild.Command("extrapolate", "The site's energy scaled to a target centre"));
        root.Subcommands.Add(NotInThisBuild.Command("demo", "A simulated cluster, served"));
    }
}
