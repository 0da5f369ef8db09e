using Coca.Tracker.Output;
using Coca.Tracker.Results;
using Spectre.Console;

namespace Coca.Commands.Node.Output;

/// <summary>The table <c>coca run</c> prints on stderr when the command ends.</summary>
internal static class RunSummary
{
    public static void Write(IAnsiConsole console, RunResult r)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]coca[/]: {Markup.Escape(r.Command ?? r.Project)} {(r.ExitCode is { } code ? $"exited with {code}" : "measured")} for {Format.Seconds(r.DurationS)} ({r.Samples} samples)");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("component")
            .AddColumn(new TableColumn("machine energy").RightAligned())
            .AddColumn(new TableColumn("avg power").RightAligned())
            .AddColumn(new TableColumn("this command").RightAligned())
            .AddColumn("provenance");
        void Row(string name, double machine, double mine, string provenance)
        {
            var colour = provenance switch { "measured" => "green", "derived" => "yellow", "estimated" => "red", _ => "grey" };
            table.AddRow(name, Format.Energy(machine), Format.Power(r.DurationS > 0 ? machine / r.DurationS : null),
                Format.Energy(mine), $"[{colour}]{provenance}[/]");
        }
        Row("CPU", r.EnergyJ.Cpu, r.AttributedJ.Cpu, r.Provenance.Cpu);
        Row("DRAM", r.EnergyJ.Dram, r.AttributedJ.Dram, r.Provenance.Dram);
        Row("GPU", r.EnergyJ.Gpu, r.AttributedJ.Gpu, r.Provenance.Gpu);
        if (r.Provenance.Other != "none") Row("other", r.EnergyJ.Other, r.AttributedJ.Other, r.Provenance.Other);
        table.AddRow("[bold]total[/]", $"[bold]{Format.Energy(r.EnergyJ.Total)}[/]", Format.Power(r.DurationS > 0 ? r.EnergyJ.Total / r.DurationS : null),
            $"[bold]{Format.Energy(r.AttributedJ.Total)}[/]", "");
        console.Write(table);

        var c = r.Carbon;
        console.MarkupLine($"emissions: [bold]{Format.Grams(c.EmissionsG)} CO2e[/] (this command: {Format.Grams(c.AttributedEmissionsG)}) = " +
            $"{Format.Energy(r.EnergyJ.Total)} × PUE {c.Pue:0.##} × {c.CarbonIntensityGPerKwh:0.#} g/kWh ({Markup.Escape(c.IntensitySource)})");
        console.MarkupLine($"this command's share of CPU time: {r.CpuShare:P1} ({r.CpuTimeS:0.###} s of CPU)" + (r.GpuSelection is { } g ? $"; GPUs: {Markup.Escape(g)}" : ""));
        foreach (var w in r.Warnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(w)}");
        }
        if (r.EmissionsCsvPath is { } csv)
        {
            console.MarkupLine($"[grey]appended to {Markup.Escape(csv)}[/]");
        }
    }
}
