using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coca.Agent.State;
using Coca.Commands.Node.Config;
using Coca.Commands.Node.Output;
using Coca.Core.Attribution;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources;
using Coca.Sources.Nvml;
using Spectre.Console;

namespace Coca.Commands.Node;

/// <summary><c>coca sensors</c>: what can be measured here, one reading of each, and what cannot, with the fix.</summary>
internal static class SensorsCommand
{
    public static Command Create()
    {
        var host = new HostPathOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout" };
        var window = new Option<double>("--window")
        {
            Description = "Seconds between the two readings that give each device's power (default 0.5)",
            DefaultValueFactory = _ => 0.5,
            HelpName = "SECONDS",
        };
        var command = new Command("sensors", """
            List every energy source on this machine with one reading of each device, and for each source
            that cannot be read, why and how to fix it. Counted devices add into a component's total;
            the others (RAPL core/uncore inside a package, psys, duplicates) are shown, never added.
            """);
        command.Options.Add(json);
        command.Options.Add(window);
        var gpu = new GpuOptions();
        gpu.AddTo(command);
        var meter = new MeterOptions();
        meter.AddTo(command);
        host.AddTo(command);
        command.SetAction(parse =>
        {
            var seconds = parse.GetValue(window);
            if (!(seconds > 0 && seconds <= 60)) throw new UsageException("--window must be between 0 and 60 seconds");
            var settings = host.Settings(parse);
            var sources = host.SourceOptions(parse, settings);
            gpu.Configure(parse, settings, sources, cudaVisibleDevices: null);
            sources.Gpu.ReadEveryGauge = true;
            meter.Configure(parse, settings, sources, settings.String(AgentSettings.Node, null)!, poll: false, Console.Error.WriteLine);
            var report = Read(sources, seconds, settings.String(AgentSettings.StateDir, null));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.SensorsReport));
            }
            else
            {
                Print(Terminal.Out, report);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <param name="agentStateDirectory">Where this node's agent keeps its books: each device's counter health since they began (when readable).</param>
    internal static SensorsReport Read(SourceSetOptions options, double windowSeconds, string? agentStateDirectory = null)
    {
        var books = ReadAgentBooks(agentStateDirectory);
        using var set = SourceSet.Open(options);
        var meters = NodeMeterReport.ReadOnce(set); // one answer from the node's meter before the two readings
        var before = set.NewSampleBuffer();
        var after = set.NewSampleBuffer();
        var clock = Stopwatch.StartNew();
        set.Sample(0, before);
        Thread.Sleep(TimeSpan.FromSeconds(windowSeconds));
        var elapsed = clock.Elapsed.TotalSeconds;
        set.Sample(elapsed, after);

        var devices = new List<SensorDevice>();
        for (var i = 0; i < set.Devices.Count; i++)
        {
            var d = set.Devices[i];
            var joules = EnergyUnits.MicrojoulesToJoules(after[i].EnergyUj - before[i].EnergyUj);
            double? wrap = d.Attributes.TryGetValue("max_energy_range_uj", out var range) && d.Attributes.TryGetValue("max_power_uw", out var power)
                && double.TryParse(range, CultureInfo.InvariantCulture, out var r) && double.TryParse(power, CultureInfo.InvariantCulture, out var p) && p > 0
                ? r / p : null;
            var health = books?.Devices.GetValueOrDefault(d.Id);
            devices.Add(new SensorDevice(d.Id, d.Component.ToWire(), d.Counted, d.Source, d.Label, after[i].State.ToString().ToLowerInvariant(),
                after[i].Provenance.ToWire(), double.IsNaN(after[i].PowerW) ? joules / elapsed : after[i].PowerW, Nan(after[i].Utilisation), Nan(after[i].MemoryUsedBytes), wrap, d.Note, d.Attributes)
            {
                CounterEvent = d.CounterUnitUj > 0 && after[i].State == DeviceState.Ok ? after[i].Event.ToString().ToLowerInvariant() : null,
                AgentWraps = health?.Wraps,
                AgentResets = health?.Resets,
                AgentRejectedSteps = health?.Rejected,
            });
        }
        var sources = set.Sources.Select(s => new SensorSource(s.Name, s.Devices.Count > 0, s.Devices.Select(d => d.Id).ToArray())).ToArray();
        var issues = set.Issues.Select(i => new SensorIssue(i.Source, i.Problem, i.Fix, i.Level == SourceIssueLevel.Warning ? "warning" : "info")).ToArray();
        var gpus = set.Sources.OfType<NvmlGpuSource>().SelectMany(n => n.ReadDetails())
            .Select(d => new SensorGpu(d.Uuid, d.TemperatureC, d.MigEnabled, d.Processes.Select(p => new SensorGpuProcess(p.Pid, p.UsedMemoryBytes)).ToArray(), d.Problem))
            .ToArray();
        var driver = set.Sources.OfType<NvmlGpuSource>().FirstOrDefault()?.DriverVersion;
        return new SensorsReport(Environment.MachineName, elapsed, sources, devices, gpus, driver, issues) { Meters = NodeMeterReport.Of(meters) };
    }

    private static double? Nan(double v) => double.IsNaN(v) ? null : v;

    // The agent's books are root's (0600): another user simply gets no counter history, not an error.
    private static Books? ReadAgentBooks(string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return null;
        try
        {
            return StateFile.Read(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static void Print(IAnsiConsole console, SensorsReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("device").AddColumn("kind").AddColumn("source").AddColumn("counted")
            .AddColumn(new TableColumn("power").RightAligned()).AddColumn(new TableColumn("util").RightAligned()).AddColumn("provenance").AddColumn("notes");
        foreach (var d in report.Devices)
        {
            var notes = new List<string>();
            if (d.Note is not null) notes.Add(d.Note);
            if (d.WrapSecondsAtMaxPower is { } w) notes.Add($"counter wraps after ≥ {w:0} s at max power: sample at least that often");
            if (d.AgentWraps is { } wraps) notes.Add($"the agent's books: {wraps} wraps, {d.AgentResets} resets, {d.AgentRejectedSteps} rejected steps");
            table.AddRow(Markup.Escape(d.Id), d.Kind, d.Source, d.Counted ? "yes" : "no", Format.Power(d.PowerW),
                d.Utilisation is { } u ? $"{u:P0}" : "-", d.Provenance, Markup.Escape(string.Join("; ", notes)));
        }
        console.Write(table);
        NodeMeterReport.Print(console, report.Meters);
        foreach (var g in report.Gpus)
        {
            var processes = g.Processes.Count == 0 ? "no compute process" : string.Join(", ", g.Processes.Select(p => $"pid {p.Pid} ({p.UsedMemoryBytes / 1048576.0:0} MiB)"));
            console.MarkupLine($"{Markup.Escape(g.Uuid)}: {(g.TemperatureC is { } t ? $"{t:0} °C, " : "")}{(g.MigEnabled ? "MIG enabled, " : "")}{Markup.Escape(processes)}");
        }
        foreach (var i in report.Issues)
        {
            console.MarkupLine($"[{(i.Level == "warning" ? "yellow" : "grey")}]{Markup.Escape(i.Source)}[/]: {Markup.Escape(i.Problem)}");
            if (i.Fix is not null) console.MarkupLine($"  [grey]fix:[/] {Markup.Escape(i.Fix)}");
        }
    }
}

internal sealed record SensorsReport(
    string Host,
    double WindowS,
    IReadOnlyList<SensorSource> Sources,
    IReadOnlyList<SensorDevice> Devices,
    IReadOnlyList<SensorGpu> Gpus,
    string? NvidiaDriver,
    IReadOnlyList<SensorIssue> Issues)
{
    /// <summary>The node's meter (a BMC, a wattmeter): its poll period, its last reading, or why it has none.</summary>
    public IReadOnlyList<SensorMeter> Meters { get; init; } = [];
}

internal sealed record SensorGpu(string Uuid, double? TemperatureC, bool MigEnabled, IReadOnlyList<SensorGpuProcess> Processes, string? Problem);

internal sealed record SensorGpuProcess(int Pid, ulong UsedMemoryBytes);

internal sealed record SensorSource(string Name, bool Available, IReadOnlyList<string> Devices);

internal sealed record SensorDevice(
    string Id,
    string Kind,
    bool Counted,
    string Source,
    string Label,
    string State,
    string Provenance,
    double PowerW,
    double? Utilisation,
    double? MemoryUsedBytes,
    double? WrapSecondsAtMaxPower,
    string? Note,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>What the counter did between the two readings (normal, wrapped, reset, implausible); null without a counter.</summary>
    public string? CounterEvent { get; init; }

    /// <summary>Counter health since this node's agent books began (null when they cannot be read here).</summary>
    public long? AgentWraps { get; init; }
    public long? AgentResets { get; init; }
    public long? AgentRejectedSteps { get; init; }
}

internal sealed record SensorIssue(string Source, string Problem, string? Fix, string Level);
