using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Coca.Commands.Node.Output;
using Coca.Core.Attribution.Offline;
using Coca.Core.Calibration;
using Coca.Sources.Wattmeter;
using Spectre.Console;

namespace Coca.Commands.Node;

/// <summary><c>coca calibrate</c>: a wattmeter's record against the software components' readings, per node: the gap and a linear model.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var wattmeter = new Option<string>("--wattmeter") { Description = "The wattmeter's record: a file, a .zip, or a directory of daily files", Required = true, HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "omegawatt (default), or csv: time,node,power_w[,energy_j]", DefaultValueFactory = _ => "omegawatt", HelpName = "omegawatt|csv" };
        var channels = new Option<string?>("--channels") { Description = "Omegawatt channels per node: n51=1+2,n52=3+4 (a node's power is the sum of its channels)", HelpName = "SPEC" };
        var readings = new Option<FileInfo>("--readings") { Description = "The components' readings, in coca attribute's format: time,node,device,energy_j,power_w,max_energy_j", Required = true, HelpName = "FILE" };
        var interval = new Option<double>("--interval") { Description = "Seconds per paired interval (default 30)", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout" };
        var command = new Command("calibrate", """
            Pair a node meter's record (a wattmeter) with the software components' readings (RAPL, NVML, as for
            coca attribute) over fixed intervals, per node, and report: the paired intervals, the gap
            (node energy - component energy) / node energy x 100, and the least-squares model
            node power = intercept + cpu x (CPU + DRAM power) + gpu x GPU power, with its r2 and MAPE.
            Both clocks are taken as the same (NTP); an interval either side does not fully cover is left out.
            """);
        foreach (var o in new Option[] { wattmeter, format, channels, readings, interval, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(interval);
            if (!(seconds >= 1 && seconds <= 86400)) throw new UsageException("--interval must be between 1 and 86400 seconds");
            var fmt = MeterOptions.ParseFormat(parse.GetValue(format)!);
            var map = MeterOptions.ParseChannels(parse.GetValue(channels), fmt);
            var problems = new List<string>();
            IReadOnlyList<RecordedSeries> components;
            List<WattmeterSample> samples;
            WattmeterLines parser;
            try
            {
                (samples, parser) = WattmeterFiles.Read(parse.GetValue(wattmeter)!, fmt, map);
                components = RecordedReadings.Parse(File.ReadAllText(parse.GetValue(readings)!.FullName), problems);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message.StartsWith("wattmeter", StringComparison.Ordinal) ? e.Message : $"{e.FileName}: no such file");
            }
            catch (InvalidDataException e)
            {
                throw new UsageException($"{parse.GetValue(wattmeter)}: not a readable archive ({e.Message})");
            }
            var badReadings = problems.Count;
            problems.AddRange(parser.Problems.Select(p => "wattmeter " + p));
            foreach (var p in problems) Console.Error.WriteLine($"coca calibrate: {p}");

            var meters = samples.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => new PowerSeries(g.Select(s => (s.Time, s.Watts)), WattmeterReader.MaxGapSeconds));
            var nodes = GapCalibration.Fit(meters, components, seconds);
            var report = new CalibrationReport(seconds, nodes.Select(CalibrationNode.Of).ToList(), parser.BadFrames, parser.Malformed + badReadings);
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(report, CalibrateJsonContext.Relaxed.CalibrationReport));
            else Print(Terminal.Out, report);
            return parser.Malformed > 0 || problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, CalibrationReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("node").AddColumn(new TableColumn("intervals").RightAligned())
            .AddColumn(new TableColumn("gap").RightAligned()).AddColumn("model: node W =").AddColumn(new TableColumn("r²").RightAligned()).AddColumn(new TableColumn("MAPE").RightAligned());
        foreach (var n in report.Nodes)
        {
            var model = n.Model.InterceptW is { } a
                ? $"{a:0.0} + {Coefficient(n.Model.Cpu)} × CPU + {Coefficient(n.Model.Gpu)} × GPU"
                : "-";
            table.AddRow(Markup.Escape(n.Node), n.Samples.ToString(CultureInfo.InvariantCulture), n.GapPct is { } g ? $"{g:0.0} %" : "unknown",
                Markup.Escape(model), n.R2 is { } r ? $"{r:0.000}" : "-", n.MapePct is { } m ? $"{m:0.0} %" : "-");
        }
        console.Write(table);
        console.MarkupLine($"[grey]{report.IntervalS:0.#} s intervals; CPU is packages + DRAM; {report.BadFrames} bad wattmeter frames skipped[/]");
    }

    private static string Coefficient(double? c) => c is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "?";
}

internal sealed record CalibrationReport(double IntervalS, IReadOnlyList<CalibrationNode> Nodes, long BadFrames, long SkippedRows);

internal sealed record CalibrationModel(double? InterceptW, double? Cpu, double? Gpu);

internal sealed record CalibrationNode(string Node, int Samples, double? GapPct, double? R2, double? MapePct, CalibrationModel Model, double NodeEnergyJ, double ComponentEnergyJ)
{
    public static CalibrationNode Of(NodeCalibration c) =>
        new(c.Node, c.Samples, c.GapPct, c.R2, c.MapePct, new CalibrationModel(c.InterceptW, c.Cpu, c.Gpu), c.NodeEnergyJ, c.ComponentEnergyJ);
}

[JsonSerializable(typeof(CalibrationReport))]
internal sealed partial class CalibrateJsonContext : JsonSerializerContext
{
    public static CalibrateJsonContext Relaxed { get; } = new(Coca.Core.Json.JsonDefaults.Relaxed());
}
