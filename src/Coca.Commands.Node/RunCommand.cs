using System.CommandLine;
using System.Globalization;
using Coca.Commands.Node.Config;
using Coca.Commands.Node.Output;
using Coca.Core.Carbon;
using Coca.Tracker;
using Coca.Tracker.Commands;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary><c>coca run -- COMMAND</c>: measure one command, like <c>codecarbon monitor</c>, but exact and honest about estimates.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var host = new HostPathOptions();
        var country = new Option<string?>("--country") { Description = RunSettings.Country.Help("ISO 3166 alpha-3 country for the grid carbon intensity, e.g. FRA"), HelpName = "ISO3" };
        var intensity = new Option<double?>("--carbon-intensity") { Description = RunSettings.CarbonIntensity.Help("Grid carbon intensity in gCO2e/kWh; overrides --country"), HelpName = "G_PER_KWH" };
        var pue = new Option<double?>("--pue") { Description = RunSettings.Pue.Help("Power usage effectiveness of the room, ≥ 1"), HelpName = "X" };
        var outputDir = new Option<string?>("--output-dir") { Description = RunSettings.OutputDir.Help("Directory where emissions.csv gets one row per run"), HelpName = "DIR" };
        var project = new Option<string?>("--project") { Description = RunSettings.Project.Help("Project name written to emissions.csv"), HelpName = "NAME" };
        var interval = new Option<double?>("--interval") { Description = RunSettings.Interval.Help("Seconds between samples, fractions allowed"), HelpName = "SECONDS" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on stdout (after the command's own output)" };
        var jsonFile = new Option<string?>("--json-file") { Description = "Write the result as one JSON object to FILE, apart from the command's own stdout", HelpName = "FILE" };
        var noCsv = new Option<bool>("--no-csv") { Description = "Do not append to emissions.csv" };
        var gpu = new GpuOptions();
        var command = new Argument<string[]>("command")
        {
            Description = "The command to measure and its arguments, after `--`",
            Arity = ArgumentArity.OneOrMore,
        };

        var run = new Command("run", """
            Run a command and measure the energy and carbon it cost.

            Samples RAPL (CPU packages, DRAM) and NVIDIA GPUs at start, every --interval and at the end.
            GPUs charged: those in CUDA_VISIBLE_DEVICES (indices in PCI bus order, GPU-/MIG- UUIDs), else all;
            estimates CPU (TDP × utilisation) and memory (W per GB) where nothing can be measured, and says so.
            Prints a summary on stderr, appends a row to emissions.csv (CodeCarbon's columns and units) and
            exits with the command's exit code (127: not found, 126: not executable). Signals sent to coca
            (SIGINT, SIGTERM, SIGHUP, SIGQUIT) are passed on to the command.

            Example: coca run --country FRA -- python train.py --epochs 3
            """);
        foreach (var o in new Option[] { country, intensity, pue, outputDir, project, interval, json, jsonFile, noCsv }) run.Options.Add(o);
        gpu.AddTo(run);
        host.AddTo(run);
        run.Arguments.Add(command);

        run.SetAction(async (parse, cancel) =>
        {
            var words = parse.GetValue(command)!;
            if (words[0].StartsWith('-')) throw new UsageException($"unknown option '{words[0]}' (see `coca run --help`; the command to measure goes after `--`)");
            var settings = host.Settings(parse);
            var sources = host.SourceOptions(parse, settings);
            var options = new TrackerOptions
            {
                Sources = sources,
                Country = KnownCountry(settings.String(RunSettings.Country, parse.GetValue(country))),
                CarbonIntensity = settings.Double(RunSettings.CarbonIntensity, parse.GetValue(intensity)),
                Pue = settings.Double(RunSettings.Pue, parse.GetValue(pue))!.Value,
                Interval = TimeSpan.FromSeconds(settings.Double(RunSettings.Interval, parse.GetValue(interval))!.Value),
                OutputDirectory = parse.GetValue(noCsv) ? null : settings.String(RunSettings.OutputDir, parse.GetValue(outputDir)),
            };
            // The command inherits coca's environment: the GPUs it may use are the ones charged.
            gpu.Configure(parse, settings, sources, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"));
            var projectName = settings.String(RunSettings.Project, parse.GetValue(project))!;

            RunResult result;
            try
            {
                result = await CommandRunner.RunAsync(words, projectName, options, cancel).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            RunSummary.Write(Terminal.Error, result);
            if (parse.GetValue(json)) Console.Out.WriteLine(RunResultJson.Serialize(result));
            if (parse.GetValue(jsonFile) is { } file) WriteJsonFile(file, result);
            return result.ExitCode ?? ExitCodes.Failure;
        });
        return run;
    }

    // An unknown country does not stop the measurement: the world average, said on stderr and in the result.
    private static string? KnownCountry(string? country)
    {
        if (string.IsNullOrWhiteSpace(country) || CarbonIntensityTable.Find(country) is not null) return country;
        Console.Error.WriteLine($"coca run: warning: unknown country code '{country}' (ISO 3166 alpha-3, e.g. FRA): using the world average");
        return null;
    }

    // The measurement is done: a file that cannot be written is a warning, never the command's exit code.
    private static void WriteJsonFile(string path, RunResult result)
    {
        try
        {
            File.WriteAllText(path, RunResultJson.Serialize(result) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine($"coca run: warning: --json-file {path} not written: {e.Message}");
        }
    }

    internal static string Invariant(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
