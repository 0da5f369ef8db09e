using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Output;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Storage;
using Spectre.Console;

namespace Coca.Commands.Site;

/// <summary><c>coca findings</c>: the Coca4ai study's three headline findings, recomputed on this site's jobs.</summary>
internal static class FindingsCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Jobs submitted at or after this date (ISO 8601)", HelpName = "DATE" };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON on stdout" };
        var command = new Command("findings", """
            The Coca4ai study's headline findings on your own jobs: the share of energy in jobs that did not complete (by
            state); GPU utilisation weighted by energy (deciles) and the share of GPU energy below 25 % utilisation; the
            gap between the software figure and the wall (needs node meters). With the job counts behind each.
            """);
        command.Options.Add(since);
        command.Options.Add(json);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var query = new JobQuery(User: AccessScope.UserFilter(null, settings, Environment.UserName), Since: JobsCommands.Date(parse.GetValue(since), "--since"));
            using var s = store.OpenForReading(parse, settings);
            var study = new StudyFindings();
            foreach (var job in s.AnalysisJobs(query)) study.Add(job);
            // The meters are the site's hardware, not any user's jobs: the gap is the same whoever asks.
            var result = study.Finish() with { MeterGap = MeterGap.Of(s.NodeMeterSums(query.Since, null)) };
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, SiteJsonContext.Relaxed.StudyResult));
                return ExitCodes.Success;
            }
            Print(result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(StudyResult r)
    {
        var console = Terminal.Out;
        string P(double? share) => share?.ToString("P1", CultureInfo.InvariantCulture) ?? "-";
        console.MarkupLine($"[bold]1. Jobs that did not complete[/]: {P(r.NotCompleted.Share)} of the energy of the {r.NotCompleted.EndedJobs:N0} job(s) that ended " +
            $"({r.NotCompleted.NotCompletedJobs:N0} did not complete)");
        var states = new Table().Border(TableBorder.Simple).AddColumn("state").AddColumn(new TableColumn("jobs").RightAligned())
            .AddColumn(new TableColumn("kWh").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (var s in r.NotCompleted.ByState) states.AddRow(s.State, s.Jobs.ToString("N0", CultureInfo.InvariantCulture), s.EnergyKwh.ToString("N1", CultureInfo.InvariantCulture), P(s.Share));
        console.Write(states);
        var u = r.GpuUtilisation;
        console.MarkupLine($"[bold]2. GPU utilisation, weighted by energy[/] ({u.GpuJobs:N0} GPU job(s) with a utilisation and an energy, " +
            $"{u.GpuEnergyKwh?.ToString("N1", CultureInfo.InvariantCulture) ?? "-"} kWh): {P(u.ShareBelow25Pct)} of the GPU energy was spent below 25 % utilisation");
        if (u.Deciles.Any(d => d is not null))
        {
            console.MarkupLine("   deciles (10 % … 90 % of the GPU energy was spent at or below): " +
                string.Join("  ", u.Deciles.Select(d => d?.ToString("P0", CultureInfo.InvariantCulture) ?? "-")));
        }
        MeterGapLines(console, r.MeterGap);
        console.MarkupLine($"[grey]{r.Jobs:N0} job(s), {r.KnownEnergyJobs:N0} with an energy figure (the agents', else Slurm's ConsumedEnergyRaw)[/]");
    }

    private static void MeterGapLines(IAnsiConsole console, MeterGap g)
    {
        var inv = CultureInfo.InvariantCulture;
        if (g.GapPct is not { } gap)
        {
            console.MarkupLine("[bold]3. Software vs wall[/]: " + Markup.Escape(g.Reason ?? "unknown"));
            return;
        }
        console.MarkupLine($"[bold]3. Software vs wall[/]: {gap.ToString("0.0", inv)} % of what the node meters saw is not in CPU + DRAM + GPU " +
            $"({g.NodeEnergyKwh?.ToString("N2", inv)} kWh at the meters, {g.ComponentEnergyKwh?.ToString("N2", inv)} kWh in the components, " +
            $"over {g.Hours.ToString("N0", inv)} metered hour(s) on {g.Nodes} node(s); only the ticks each meter covered)");
        var nodes = new Table().Border(TableBorder.Simple).AddColumn("node").AddColumn(new TableColumn("hours").RightAligned())
            .AddColumn(new TableColumn("meter kWh").RightAligned()).AddColumn(new TableColumn("components kWh").RightAligned()).AddColumn(new TableColumn("gap").RightAligned());
        foreach (var n in g.PerNode)
        {
            nodes.AddRow(Markup.Escape(n.Node), n.Hours.ToString("N0", inv), n.NodeEnergyKwh.ToString("N2", inv), n.ComponentEnergyKwh.ToString("N2", inv),
                n.GapPct is { } p ? p.ToString("0.0", inv) + " %" : "-");
        }
        console.Write(nodes);
    }
}
