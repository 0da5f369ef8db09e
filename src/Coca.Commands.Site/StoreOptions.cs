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

    /// <summary>Opens and migrates the store; a store that cannot be opened is one line, exit 1.</summary>
    public IJobStore Open(ParseResult parse, CocaSettings settings)
    {
        var location = Location(parse, settings);
        var carbon = SiteCarbon(settings);
        try
        {
            var store = JobStores.Open(location, carbon);
            store.Migrate();
            return store;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ArgumentException or UriFormatException or IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException($"cannot open the store {JobStores.Redact(location)}: {e.Message}");
        }
    }
}
