using System.CommandLine;
using System.Text.Json;
using Coca.Commands.Node.Config;
using Coca.Commands.Node.Output;
using Coca.Core.Carbon;

namespace Coca.Commands.Node;

/// <summary><c>coca carbon</c>: emissions of a given energy, the same computation every other command uses.</summary>
internal static class CarbonCommand
{
    public static Command Create(CarbonExtensions? extensions = null)
    {
        var host = new HostPathOptions();
        var kwh = new Option<double>("--kwh") { Description = $"IT energy, {CarbonRanges.Kwh.Describe()}", Required = true, HelpName = "X" };
        var country = new Option<string?>("--country") { Description = RunSettings.Country.Help("ISO 3166 alpha-3 country code for the grid intensity, e.g. FRA"), HelpName = "ISO3" };
        var intensity = new Option<double?>("--carbon-intensity") { Description = RunSettings.CarbonIntensity.Help("Grid carbon intensity in gCO2e/kWh (overrides --country)"), HelpName = "G_PER_KWH" };
        var pue = new Option<double?>("--pue") { Description = RunSettings.Pue.Help("Power usage effectiveness, ≥ 1"), HelpName = "X" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout" };
        var at = new Option<string?>("--at") { Description = "When the energy was drawn (ISO 8601 with offset): with [site] carbon = hourly, the store's series gives the intensity then", HelpName = "TIME" };
        var command = new Command("carbon", """
            Emissions of an amount of energy: energy × PUE × grid carbon intensity. Country, intensity and PUE are
            read as by coca run: the flag, then COCA_RUN_*, then the configuration file's [run] table.

            Examples:
              coca carbon --kwh 433196 --carbon-intensity 57          # BLOOM's training: about 24.7 t
              coca carbon --kwh 1287000 --carbon-intensity 429        # GPT-3: about 552 t
              coca carbon --kwh 12.5 --country FRA --pue 1.4
              coca carbon --kwh 12.5 --at 2025-01-15T18:00:00+01:00   # the hour's figure, with [site] carbon = hourly
            """);
        foreach (var o in new Option[] { kwh, country, intensity, pue, at, json }) command.Options.Add(o);
        foreach (var sub in extensions?.Subcommands ?? []) command.Subcommands.Add(sub);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var energy = CarbonRanges.Kwh.Check(parse.GetValue(kwh), "--kwh");
            var settings = host.Settings(parse);
            string? hourlySource = null;
            var c = settings.String(RunSettings.Country, parse.GetValue(country));
            var g = settings.Double(RunSettings.CarbonIntensity, parse.GetValue(intensity));
            // An hourly figure replaces the yearly one only where nothing on the command line chose an intensity.
            if (parse.GetValue(at) is { } atText && parse.GetValue(intensity) is null && parse.GetValue(country) is null
                && Hourly(extensions, settings, atText) is { } hourly)
            {
                g = hourly.GramsPerKwh;
                hourlySource = hourly.Source;
            }
            if (c is null && g is null) throw new UsageException("give --country ISO3 or --carbon-intensity G_PER_KWH (or COCA_RUN_COUNTRY, [run] country in the configuration file)");
            CarbonInputs inputs;
            try
            {
                inputs = CarbonInputs.Resolve(c, g, settings.Double(RunSettings.Pue, parse.GetValue(pue))!.Value);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            var grams = CarbonCalculator.EmissionsGramsFromKwh(energy, inputs);
            var source = hourlySource ?? inputs.IntensitySource;
            var report = new CarbonReport(energy, inputs.Pue, inputs.GramsPerKwh, grams / 1000.0, grams, inputs.Country, source);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.CarbonReport));
            }
            else
            {
                Console.Out.WriteLine($"{Format.Energy(energy * 3.6e6)} × PUE {inputs.Pue:0.###} × {inputs.GramsPerKwh:0.###} gCO2e/kWh = {Format.Grams(grams)} CO2e");
                Console.Out.WriteLine($"intensity: {source}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // The store's figure at that moment; null (with a note) where there is none, and the yearly figure is used.
    private static HourlyIntensity? Hourly(CarbonExtensions? extensions, CocaSettings settings, string atText)
    {
        if (!DateTimeOffset.TryParse(atText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            throw new UsageException($"--at '{atText}' is not a time (ISO 8601 with its offset, e.g. 2025-01-15T18:00:00+01:00)");
        if (extensions?.AtTime is not { } lookup)
        {
            Console.Error.WriteLine("coca carbon: --at needs the store (the full edition): the yearly figure is used");
            return null;
        }
        var found = lookup(settings, time);
        if (found is null) Console.Error.WriteLine($"coca carbon: no hourly figure at {time:O} ([site] carbon is not hourly, or the series does not cover it): the yearly figure is used");
        return found;
    }
}

internal sealed record CarbonReport(
    double EnergyKwh,
    double Pue,
    double CarbonIntensityGPerKwh,
    double EmissionsKg,
    double EmissionsG,
    string? Country,
    string IntensitySource);
