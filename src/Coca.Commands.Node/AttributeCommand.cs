using System.CommandLine;
using System.Text.Json;
using Coca.Commands.Node.Output;
using Coca.Core.Attribution.Offline;
using Coca.Core.Units;
using Spectre.Console;

namespace Coca.Commands.Node;

/// <summary><c>coca attribute</c>: the agent's attribution engine over recorded readings and jobs.</summary>
internal static class AttributeCommand
{
    public static Command Create()
    {
        var readings = new Option<FileInfo>("--readings") { Description = "Readings CSV: time,node,device,energy_j,power_w,max_energy_j", Required = true, HelpName = "FILE" };
        var jobs = new Option<FileInfo>("--jobs") { Description = "Jobs CSV: job_id,user,node,start,end,gpus,cpu_share", Required = true, HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout" };
        var command = new Command("attribute", """
            Attribute recorded energy to jobs offline, with the engine the agent runs (the same code, replayed).

            readings: one row per device reading. time is Unix seconds or ISO 8601 with an offset; energy_j a
            cumulative counter in joules that wraps at max_energy_j when given (else a decrease is a reset and
            the new value is the energy since it); power_w when there is no counter (trapezoid rule). A device's
            component comes from its name: gpu*, package-*, dram-*; anything else is other (unattributed).
            jobs: gpus is a ;-separated list of device names the job held whole; cpu_share its share (0-1) of the
            node's packages and DRAM (empty: unknown, that part stays unattributed); empty end: still running.
            Energy of an interval is spread uniformly over it; what no job holds is idle. The books balance:
            jobs + idle + unattributed = total, to the microjoule. Bad rows are reported with their line number
            on stderr and skipped (exit 1); the rest is attributed.
            """);
        command.Options.Add(readings);
        command.Options.Add(jobs);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var problems = new List<string>();
            OfflineAttribution.Result result;
            try
            {
                var intervals = RecordedReadings.Parse(File.ReadAllText(parse.GetValue(readings)!.FullName), problems);
                var recordedJobs = RecordedJobs.Parse(File.ReadAllText(parse.GetValue(jobs)!.FullName), problems);
                result = OfflineAttribution.Run(intervals, recordedJobs);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException($"{e.FileName}: no such file");
            }
            foreach (var p in problems) Console.Error.WriteLine($"coca attribute: {p}");

            var report = Report(result, problems);
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Relaxed.AttributionReport));
            else Print(Terminal.Out, report);
            return problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static AttributionReport Report(OfflineAttribution.Result result, List<string> problems)
    {
        var users = result.Jobs.GroupBy(j => j.JobId).ToDictionary(g => g.Key, g => g.First().User);
        var jobs = users.Keys
            .Select(id => new AttributedJob(id, users[id], ComponentEnergyJ.From(result.JobEnergy(id))))
            .OrderBy(j => j.JobId, StringComparer.Ordinal)
            .ToList();
        var idle = result.Idle;
        var unattributed = result.Unattributed;
        return new AttributionReport(jobs, idle.Total.Joules, unattributed.Total.Joules, result.Total.Joules,
            ComponentEnergyJ.From(idle), ComponentEnergyJ.From(unattributed), result.ResidualUj, result.Intervals, problems);
    }

    private static void Print(IAnsiConsole console, AttributionReport r)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("job").AddColumn("user");
        foreach (var c in new[] { "GPU", "CPU", "DRAM", "other", "total" }) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var j in r.Jobs)
        {
            table.AddRow(Markup.Escape(j.JobId), Markup.Escape(j.User), Format.Energy(j.EnergyJ.Gpu), Format.Energy(j.EnergyJ.Cpu),
                Format.Energy(j.EnergyJ.Dram), Format.Energy(j.EnergyJ.Other), Format.Energy(j.EnergyJ.Total));
        }
        table.AddRow("[grey]idle[/]", "", Format.Energy(r.Idle.Gpu), Format.Energy(r.Idle.Cpu), Format.Energy(r.Idle.Dram), Format.Energy(r.Idle.Other), Format.Energy(r.IdleJ));
        table.AddRow("[grey]unattributed[/]", "", Format.Energy(r.Unattributed.Gpu), Format.Energy(r.Unattributed.Cpu), Format.Energy(r.Unattributed.Dram),
            Format.Energy(r.Unattributed.Other), Format.Energy(r.UnattributedJ));
        console.Write(table);
        console.MarkupLine($"total measured {Format.Energy(r.TotalJ)} over {r.Intervals} intervals; books balance to {r.ResidualUj} µJ");
    }
}

internal sealed record ComponentEnergyJ(double Gpu, double Cpu, double Dram, double Other)
{
    public double Total => Gpu + Cpu + Dram + Other;

    public static ComponentEnergyJ From(in ComponentEnergy e) =>
        new(e[ComponentKind.Gpu].Joules, e[ComponentKind.Cpu].Joules, e[ComponentKind.Dram].Joules, e[ComponentKind.Other].Joules);
}

internal sealed record AttributedJob(string JobId, string User, ComponentEnergyJ EnergyJ);

internal sealed record AttributionReport(
    IReadOnlyList<AttributedJob> Jobs,
    double IdleJ,
    double UnattributedJ,
    double TotalJ,
    ComponentEnergyJ Idle,
    ComponentEnergyJ Unattributed,
    long ResidualUj,
    int Intervals,
    IReadOnlyList<string> Problems);
