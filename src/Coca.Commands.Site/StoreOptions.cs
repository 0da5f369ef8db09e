using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary>Which store to use, and the carbon inputs stored with each job's energy.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Db { get; } = new("--db")
    {
        Description = StoreSettings.Db.Help("Store: sqlite:PATH or postgres://user:password@host/db"),
        HelpName = "URL",
    };

    public void AddTo(Command command) => command.Options.Add(Db);

    public string Location(ParseResult parse, CocaSettings settings) =>
        settings.String(StoreSettings.Db, parse.GetValue(Db))!;

    /// <summary>The site's carbon inputs (<c>[site] country</c>, <c>carbon_intensity</c>, <c>pue</c>), stored with each job's energy.</summary>
    public static CarbonInputs SiteCarbon(CocaSettings settings) =>
        CarbonInputs.Resolve(settings.String(SiteSettings.Country, null), settings.Double(SiteSettings.CarbonIntensity, null), settings.Double(SiteSettings.Pue, null)!.Value);

    /// <summary>Opens the store to write to it, migrating it first; a store that cannot be opened is one line, exit 1.</summary>
    public IJobStore Open(ParseResult parse, CocaSettings settings)
    {
        var location = Location(parse, settings);
        var carbon = SiteCarbon(settings);
        return Guarded(location, "open", () =>
        {
            var store = JobStores.Open(location, carbon);
            try
            {
                store.Migrate();
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// Opens the store to query it, without migrating (a user who may only read must be able to query); a store that
    /// is absent or older than this coca is one line telling what to run, exit 1.
    /// </summary>
    public IJobStore OpenForReading(ParseResult parse, CocaSettings settings)
    {
        var location = Location(parse, settings);
        var carbon = SiteCarbon(settings);
        return Guarded(location, "read", () => JobStores.OpenForReading(location, carbon));
    }

    /// <summary>Brings the store's schema to this coca's version; returns how many migrations ran and where.</summary>
    public (int Applied, string Location) Migrate(ParseResult parse, CocaSettings settings)
    {
        var location = Location(parse, settings);
        return Guarded(location, "migrate", () =>
        {
            using var store = JobStores.Open(location, SiteCarbon(settings));
            return (store.Migrate(), JobStores.Redact(location));
        });
    }

    // What the user can act on becomes one line (the password redacted); anything else is a bug and keeps its trace.
    private static T Guarded<T>(string location, string verb, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or UriFormatException or IOException or UnauthorizedAccessException or StoreSchemaException)
        {
            throw new StoreUnavailableException($"cannot {verb} the store {JobStores.Redact(location)}: {e.Message}");
        }
    }
}
