using System.CommandLine;
using System.Globalization;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca carbon recompute</c>: the site's current inputs (<c>[site] carbon</c>, <c>zone</c>, <c>pue</c>, the yearly
/// intensity) applied to the jobs already stored; and the hourly figure <c>coca carbon --at</c> reads.
/// </summary>
internal static class CarbonRecomputeCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Only jobs submitted at or after this date (ISO 8601); default: every job", HelpName = "DATE" };
        var command = new Command("recompute", """
            Recompute the emissions of stored jobs with the site's current inputs: [site] carbon (hourly: the [site] zone's
            imported series, the yearly figure where it does not cover; yearly: the yearly figure), [site] pue, and
            [site] country or carbon_intensity for the yearly figure. Each job's energy (the agents', else Slurm's
            ConsumedEnergyRaw) is placed on its timeline (its stored series, else spread uniformly from start to end).
            Each job keeps its method, zone, basis and series coverage. Only changed figures are written: running it
            twice changes nothing. Run it after importing a series or changing the PUE, and from cron after imports.
            """);
        command.Options.Add(since);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var from = JobsCommands.Date(parse.GetValue(since), "--since");
            using var s = store.Open(parse, settings);
            var inputs = Inputs(s, settings);
            var result = s.RecomputeEmissions(inputs, from, done => Console.Error.WriteLine($"coca carbon recompute: {done.ToString("N0", CultureInfo.InvariantCulture)} jobs…"));
            Console.Out.WriteLine($"{result.Jobs} jobs with energy: {result.Changed} figures changed; {result.Hourly} hourly, {result.Jobs - result.Hourly} yearly; " +
                $"{result.FromSlurmEnergy} from Slurm's energy (no agent measured them), {result.FromSeries} placed by their own series, the rest spread uniformly over their run");
            Console.Out.WriteLine($"inputs: {Describe(inputs)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The inputs a recompute applies, from the settings and the store's series.</summary>
    public static RecomputeInputs Inputs(IJobStore store, CocaSettings settings)
    {
        var yearly = StoreOptions.SiteCarbon(settings);
        if (!Hourly(settings)) return new RecomputeInputs(yearly, null, null, null);
        var zone = settings.String(SiteSettings.Zone, null)
            ?? throw new UsageException("[site] carbon = hourly needs [site] zone (COCA_SITE_ZONE): the zone whose series applies");
        var stored = store.Intensity(zone);
        if (stored.Points.Count == 0) Console.Error.WriteLine($"coca carbon: no series for zone {zone} in the store (coca carbon series import): yearly figures");
        return new RecomputeInputs(yearly, stored.Points.Count == 0 ? null : new IntensitySeries(stored.Points), zone, stored.Basis);
    }

    /// <summary>For <c>coca carbon --at</c>: the store's figure at that moment, or null.</summary>
    public static HourlyIntensity? At(CocaSettings settings, DateTimeOffset time)
    {
        if (!Hourly(settings) || settings.String(SiteSettings.Zone, null) is not { } zone) return null;
        var location = settings.String(StoreSettings.Db, null)!;
        try
        {
            using var store = JobStores.OpenForReading(location);
            var stored = store.Intensity(zone);
            return new IntensitySeries(stored.Points).At(time) is { } g
                ? new HourlyIntensity(g, $"{zone} at {time.ToUniversalTime():yyyy-MM-ddTHH:mmZ}, imported series ({stored.Basis})")
                : null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or StoreSchemaException or ArgumentException)
        {
            Console.Error.WriteLine($"coca carbon: cannot read the store {JobStores.Redact(location)}: {e.Message}");
            return null;
        }
    }

    private static bool Hourly(CocaSettings settings) => settings.String(SiteSettings.Carbon, null) switch
    {
        CarbonMethods.Hourly => true,
        CarbonMethods.Yearly => false,
        var other => throw new UsageException($"[site] carbon must be hourly or yearly, got '{other}'"),
    };

    private static string Describe(RecomputeInputs i) =>
        (i.Series is { } s ? $"zone {i.Zone} ({i.Basis}, {s.Count} figures from {s.First:yyyy-MM-dd HH:mm}Z to {s.Last:yyyy-MM-dd HH:mm}Z, each in force at most {s.StepMs / 60000} min); " : "yearly only; ") +
        $"yearly {i.Yearly.GramsPerKwh:0.###} g/kWh ({i.Yearly.IntensitySource}); PUE {i.Yearly.Pue:0.###}";
}
