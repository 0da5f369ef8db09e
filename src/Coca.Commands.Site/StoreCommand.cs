using System.CommandLine;
using Coca.Commands.Node;

namespace Coca.Commands.Site;

/// <summary><c>coca store migrate</c>: brings the store's schema to this coca's version, explicitly.</summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var command = new Command("store", "The store itself: its schema.");
        command.Subcommands.Add(Migrate());
        return command;
    }

    // Readers (coca jobs, job, users) never migrate, so that a user who may only read can query; an upgrade is
    // applied here, by someone who may change the schema, or by the next writer (import-sacct, sync, the server).
    private static Command Migrate()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var command = new Command("migrate", """
            Apply the schema migrations this coca knows and the store has not had yet, and print how many ran (0 when
            the store is current: then nothing is written, so any user may run it). Readers never migrate; writers
            (import-sacct, sync, the server at start) migrate as they open the store.
            """);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var (applied, location) = store.Migrate(parse, host.Settings(parse));
            Console.Out.WriteLine($"{applied} migration(s) applied to {location}");
            return ExitCodes.Success;
        });
        return command;
    }
}
