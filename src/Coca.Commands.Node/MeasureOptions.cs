using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Commands.Node.Output;
using Coca.Core.Carbon;
using Coca.Tracker;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary>
/// What <c>coca run</c> and <c>coca track</c> share: the carbon, sampling and output options, how they become
/// <see cref="TrackerOptions"/>, and how a result is reported. One place, so that the two measure alike.
/// </summary>
internal sealed class MeasureOptions(string commandName, RunHistoryExtensions? history = null)
{
    private readonly Option<string?> _country = new("--country") { Description = RunSettings.Country.Help("ISO 3166 alpha-3 country for the grid carbon intensity, e.g. FRA"), HelpName = "ISO3" };
    private readonly Option<double?> _intensity = new("--carbon-intensity") { Description = RunSettings.CarbonIntensity.Help("Grid carbon intensity in gCO2e/kWh; overrides --country"), HelpName = "G_PER_KWH" };
    private readonly Option<double?> _pue = new("--pue") { Description = RunSettings.Pue.Help("Power usage effectiveness of the room, ≥ 1"), HelpName = "X" };
    private readonly Option<string?> _outputDir = new("--output-dir") { Description = RunSettings.OutputDir.Help("Directory where emissions.csv gets one row per run"), HelpName = "DIR" };
    private readonly Option<string?> _project = new("--project") { Description = RunSettings.Project.Help("Project name written to emissions.csv"), HelpName = "NAME" };
    private readonly Option<double?> _interval = new("--interval") { Description = RunSettings.Interval.Help("Seconds between samples, fractions allowed"), HelpName = "SECONDS" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the result as one JSON object on stdout (after the command's own output)" };
    private readonly Option<string?> _jsonFile = new("--json-file") { Description = "Write the result as one JSON object to FILE, apart from the command's own stdout", HelpName = "FILE" };
    private readonly Option<bool> _noCsv = new("--no-csv") { Description = "Do not append to emissions.csv" };
    private readonly GpuOptions _gpu = new();
    private readonly HostPathOptions _host = new();

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _country, _intensity, _pue, _outputDir, _project, _interval, _json, _jsonFile, _noCsv }) command.Options.Add(o);
        _gpu.AddTo(command);
        _host.AddTo(command);
    }

    /// <summary>The tracker's options and the project's name, from flags, environment, config file and defaults.</summary>
    /// <param name="cudaVisibleDevices">The GPUs the measured work may use: those are the ones charged.</param>
    public (TrackerOptions Options, string Project) Resolve(ParseResult parse, string? cudaVisibleDevices)
    {
        var settings = _host.Settings(parse);
        var sources = _host.SourceOptions(parse, settings);
        var options = new TrackerOptions
        {
            Sources = sources,
            Country = KnownCountry(settings.String(RunSettings.Country, parse.GetValue(_country))),
            CarbonIntensity = settings.Double(RunSettings.CarbonIntensity, parse.GetValue(_intensity)),
            Pue = settings.Double(RunSettings.Pue, parse.GetValue(_pue))!.Value,
            Interval = TimeSpan.FromSeconds(settings.Double(RunSettings.Interval, parse.GetValue(_interval))!.Value),
            OutputDirectory = parse.GetValue(_noCsv) ? null : settings.String(RunSettings.OutputDir, parse.GetValue(_outputDir)),
        };
        _gpu.Configure(parse, settings, sources, cudaVisibleDevices);
        return (options, settings.String(RunSettings.Project, parse.GetValue(_project))!);
    }

    /// <summary>The summary on stderr, the JSON object on stdout and/or in the file, as asked, and the run kept in the local history.</summary>
    /// <param name="pid">The process <c>coca track</c> measured; null under <c>coca run</c>.</param>
    public void Report(ParseResult parse, RunResult result, int? pid = null)
    {
        RunSummary.Write(Terminal.Error, result);
        if (parse.GetValue(_json)) Console.Out.WriteLine(RunResultJson.Serialize(result));
        if (parse.GetValue(_jsonFile) is { } file) WriteJsonFile(file, result);
        // The measurement is done: a history that cannot be written is a warning, never the command's exit code.
        if (history?.Record?.Invoke(FinishedRun.Of(result, pid)) is { } warning) Console.Error.WriteLine($"coca {commandName}: warning: {warning}");
    }

    // An unknown country does not stop the measurement: the world average, said on stderr and in the result.
    private string? KnownCountry(string? country)
    {
        if (string.IsNullOrWhiteSpace(country) || CarbonIntensityTable.Find(country) is not null) return country;
        Console.Error.WriteLine($"coca {commandName}: warning: unknown country code '{country}' (ISO 3166 alpha-3, e.g. FRA): using the world average");
        return null;
    }

    // The measurement is done: a file that cannot be written is a warning, never the command's exit code.
    private void WriteJsonFile(string path, RunResult result)
    {
        try
        {
            File.WriteAllText(path, RunResultJson.Serialize(result) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine($"coca {commandName}: warning: --json-file {path} not written: {e.Message}");
        }
    }
}
