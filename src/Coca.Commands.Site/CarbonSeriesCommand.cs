using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Site.Config;
using Coca.Core.Carbon;

namespace Coca.Commands.Site;

/// <summary><c>coca carbon series import</c>: a grid intensity series into the store, idempotently.</summary>
internal static class CarbonSeriesCommand
{
    public static Command Create()
    {
        var series = new Command("series", "The store's grid carbon-intensity series (per zone, over time).");
        series.Subcommands.Add(Import());
        return series;
    }

    private static Command Import()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var file = new Argument<string>("file") { Description = "The file, or - for standard input" };
        var format = new Option<string>("--format") { Description = "eco2mix (RTE/ODRÉ), electricitymaps (data portal CSV) or csv (time,zone,g_per_kwh)", Required = true, HelpName = "FORMAT" };
        var zone = new Option<string?>("--zone") { Description = "Zone to file the figures under (default: the file's zone id; FR for eco2mix; else [site] zone)", HelpName = "ZONE" };
        var basis = new Option<string>("--basis") { Description = "electricitymaps: which column (direct or lifecycle, default lifecycle); csv: what its figures are. eco2mix's are direct", DefaultValueFactory = _ => IntensityBasis.Lifecycle, HelpName = "BASIS" };
        var command = new Command("import", """
            Import grid carbon intensity over time into the store. Importing the same file twice changes nothing; a
            figure that differs from the stored one (a corrected file, another basis) replaces it. A bad line is
            reported with its number and skipped alone (exit 1); lines without a figure (eCO2mix's blanks) are counted.
            Then `coca carbon recompute` applies the series to the jobs already stored. Examples:
              coca carbon series import eco2mix-national-cons-def.csv --format eco2mix
              coca carbon series import DE_2024_hourly.csv --format electricitymaps --basis lifecycle
            """);
        command.Arguments.Add(file);
        foreach (var o in new Option[] { format, zone, basis }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var kind = parse.GetValue(format) switch
            {
                "eco2mix" => IntensityFormat.Eco2mix,
                "electricitymaps" => IntensityFormat.ElectricityMaps,
                "csv" => IntensityFormat.Csv,
                var other => throw new UsageException($"--format must be eco2mix, electricitymaps or csv, got '{other}'"),
            };
            var b = parse.GetValue(basis)!;
            if (!IntensityBasis.IsKnown(b)) throw new UsageException($"--basis must be direct or lifecycle, got '{b}'");
            var z = parse.GetValue(zone) ?? (kind == IntensityFormat.Eco2mix ? null : settings.String(SiteSettings.Zone, null));
            var path = parse.GetValue(file)!;
            IntensityParse parsed;
            try
            {
                var lines = path == "-" ? ReadAll(Console.In) : File.ReadLines(path);
                parsed = IntensityImport.Parse(lines, kind, z, b, Paris());
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new UsageException($"{path}: no such file");
            }
            catch (FormatException e)
            {
                throw new UsageException($"{path}: {e.Message}");
            }
            foreach (var p in parsed.Problems) Console.Error.WriteLine($"coca carbon series import: {p}");
            using var s = store.Open(parse, settings);
            var result = s.ImportIntensity(parsed.Rows);
            var zones = string.Join(", ", parsed.Rows.Select(r => r.Zone).Distinct().Order(StringComparer.Ordinal));
            Console.Error.WriteLine($"{parsed.LinesRead} lines read: {result.Inserted} figures new, {result.Updated} replaced, {result.Unchanged} unchanged" +
                $"{(zones.Length > 0 ? $" ({zones}, {parsed.Rows[0].Basis})" : "")}; {parsed.Empty} without a figure, {parsed.Problems.Count} bad lines skipped");
            return parsed.Problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<string> ReadAll(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }

    // eCO2mix's older files are in French local time.
    private static TimeZoneInfo Paris()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            throw new UsageException("the time zone Europe/Paris is not installed (tzdata): eCO2mix's local times cannot be placed");
        }
    }
}
