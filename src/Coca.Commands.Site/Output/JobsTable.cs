using System.Globalization;
using Coca.Core.Units;
using Coca.Storage;
using Spectre.Console;

namespace Coca.Commands.Site.Output;

/// <summary><c>coca jobs</c>' table: what each job was (name, where, when, how long, on how many GPUs, how it ended) beside what it cost.</summary>
internal static class JobsTable
{
    public static Table Of(IReadOnlyList<JobRow> rows)
    {
        // Twelve columns in the 120 of redirected output, as squeue prints them: no border, one space apart, state and exit code together.
        var table = new Table().Border(TableBorder.None).AddColumns("job", "name", "user", "partition", "nodes", "start (UTC)", "elapsed", "GPUs", "state (exit)")
            .AddColumn(new TableColumn("energy").RightAligned()).AddColumn(new TableColumn("gCO2e").RightAligned()).AddColumn(new TableColumn("GPU util").RightAligned());
        foreach (var column in table.Columns) column.Padding(0, 0, 1, 0);
        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.JobId), Markup.Escape(Short(r.Name, 20)), Markup.Escape(r.User ?? "?"), Markup.Escape(r.Partition ?? "-"),
                Markup.Escape(Short(r.Nodes, 16)), r.Start?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                r.ElapsedS is { } e ? Readable.Duration(e) : "-", r.Gpus?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape($"{r.State ?? "?"}{(r.ExitCode is null ? "" : $" ({r.ExitCode})")}"), r.Energy is { } energy ? Readable.Energy(energy.Total) : "-",
                r.EmissionsG is { } g ? g.ToString("0.#", CultureInfo.InvariantCulture) : "-", r.GpuUtilisation is { } u ? u.ToString("P0", CultureInfo.InvariantCulture) : "-");
        }
        return table;
    }

    private static string Short(string? text, int max) => text is null ? "-" : text.Length <= max ? text : text[..(max - 1)] + "…";
}
