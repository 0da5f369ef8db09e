using System.CommandLine;
using System.Globalization;
using Coca.Commands.Node;
using Coca.Commands.Node.Output;
using Coca.Core.Units;
using Coca.Storage;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Coca.Commands.Site;

/// <summary>
/// The local history of <c>coca run</c> and <c>coca track</c> (<see cref="RunHistory"/>): how a result is kept, and
/// <c>coca runs</c>, which lists them newest first.
/// </summary>
internal static class RunsCommand
{
    /// <summary>Tests (and a user who wants another file) name the history's file here.</summary>
    public const string PathVariable = "COCA_RUNS_DB";

    public static RunHistoryExtensions Extensions() => new(Record, Create());

    /// <summary>The file: <c>$COCA_RUNS_DB</c>, else the user's data folder.</summary>
    public static string HistoryPath() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path
            ? path
            : RunHistory.DefaultPath(Environment.GetEnvironmentVariable("XDG_DATA_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    // Null when kept; else the one line that says where and why not (the run itself has succeeded).
    private static string? Record(FinishedRun run)
    {
        var path = HistoryPath();
        try
        {
            using var history = RunHistory.Open(path, create: true)!;
            history.Add(new RunRecord(run.RunId, run.Project, run.StartedAt, run.EndedAt, run.Command, run.Pid,
                run.CpuJ, run.DramJ, run.GpuJ, run.OtherJ, run.EmissionsG, run.ExitCode, run.ResultJson));
            return null;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"run not kept in the history {path} ({PathVariable} names another file): {FirstLine(e.Message)}";
        }
    }

    public static Command Create()
    {
        var project = new Option<string?>("--project") { Description = "Only this project's runs", HelpName = "NAME" };
        var limit = new Option<int>("--limit") { Description = "At most this many runs, the newest (1–100000)", HelpName = "N", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of the kept results (`coca run --json`'s objects, metrics included)" };
        var runs = new Command("runs", $"""
            List the runs of `coca run` and `coca track` on this machine, newest first.

            Each result is kept in $XDG_DATA_HOME/coca4ai/runs.db (else ~/.local/share/coca4ai/runs.db;
            {PathVariable} names another file): start, project, duration, energy, emissions and the last value of
            each metric the run reported (`coca metric`).

            Example: coca runs --project demo --limit 5
            """);
        runs.Options.Add(project);
        runs.Options.Add(limit);
        runs.Options.Add(json);
        runs.SetAction(parse =>
        {
            var n = parse.GetValue(limit);
            if (n is < 1 or > 100_000) throw new UsageException($"runs: --limit {n} is not between 1 and 100000");
            var path = HistoryPath();
            IReadOnlyList<RunRecord> rows;
            try
            {
                using var history = RunHistory.Open(path, create: false);
                rows = history?.List(parse.GetValue(project), n) ?? [];
            }
            catch (SqliteException e)
            {
                throw new CommandFailedException($"runs: the history {path} cannot be read: {FirstLine(e.Message)}");
            }
            if (parse.GetValue(json))
            {
                // The kept objects as they were printed: a field added to RunResult later is not lost on old rows.
                Console.Out.WriteLine(rows.Count == 0 ? "[]" : "[\n" + string.Join(",\n", rows.Select(r => r.ResultJson)) + "\n]");
                return ExitCodes.Success;
            }
            if (rows.Count == 0)
            {
                Terminal.Out.MarkupLine($"[grey]no runs kept in {Markup.Escape(path)}{(parse.GetValue(project) is { } p ? $" for project {Markup.Escape(p)}" : "")}[/]");
                return ExitCodes.Success;
            }
            Terminal.Out.Write(Table(rows));
            Terminal.Out.MarkupLine($"[grey]{rows.Count} run(s), newest first; kWh: the machine's energy (all components), gCO2e: its emissions; from {Markup.Escape(path)}[/]");
            return ExitCodes.Success;
        });
        return runs;
    }

    private static Table Table(IReadOnlyList<RunRecord> rows)
    {
        var table = new Table().Border(TableBorder.None).AddColumns("start (UTC)", "project", "command")
            .AddColumn(new TableColumn("duration").RightAligned()).AddColumn(new TableColumn("kWh").RightAligned())
            .AddColumn(new TableColumn("gCO2e").RightAligned()).AddColumn("exit").AddColumn("metrics (last)");
        foreach (var column in table.Columns) column.Padding(0, 0, 1, 0);
        foreach (var r in rows)
        {
            var kwh = (r.CpuJ + r.DramJ + r.GpuJ + r.OtherJ) / 3.6e6;
            table.AddRow(r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(r.Project),
                Markup.Escape(Short(r.Command ?? (r.Pid is { } pid ? $"pid {pid}" : "-"), 30)),
                Format.Seconds((r.EndedAt - r.StartedAt).TotalSeconds), kwh.ToString("0.######", CultureInfo.InvariantCulture),
                r.EmissionsG.ToString("0.###", CultureInfo.InvariantCulture), r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(LastMetrics(r.ResultJson)));
        }
        return table;
    }

    // The last value of each metric, in the order they first appeared; a row whose JSON no longer reads shows '?'.
    private static string LastMetrics(string json)
    {
        var last = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array) return "-";
            foreach (var m in metrics.EnumerateArray())
            {
                if (m.TryGetProperty("name", out var name) && name.GetString() is { } n && m.TryGetProperty("value", out var value) && value.TryGetDouble(out var v)) last[n] = v;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "?";
        }
        return last.Count == 0 ? "-" : string.Join(" ", last.Select(kv => $"{kv.Key}={kv.Value.ToString("G6", CultureInfo.InvariantCulture)}"));
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
