using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Output;
using Coca.Core.Analysis;
using Coca.Core.Json;
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
            var result = study.Finish();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, JsonDefaults.Relaxed()));
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
        console.MarkupLine($"[bold]3. Software vs wall[/]: " + (r.MeterGap.GapPct is { } gap ? $"{gap:0.0} % over {r.MeterGap.Nodes} node(s)" : Markup.Escape(r.MeterGap.Reason ?? "unknown")));
        console.MarkupLine($"[grey]{r.Jobs:N0} job(s), {r.KnownEnergyJobs:N0} with an energy figure (the agents', else Slurm's ConsumedEnergyRaw)[/]");
    }
}
