using System.Globalization;
using Coca.Commands.Node.Output;
using Coca.Core.Analysis;
using Spectre.Console;

namespace Coca.Commands.Site.Output;

/// <summary><c>coca receptiveness</c>'s table and JSON (the JSON's shape is a contract, in the README).</summary>
internal static class ReceptivenessOutput
{
    public static ReceptivenessJson Json(ExperimentDefinition d, (DateTimeOffset From, DateTimeOffset To) before, (DateTimeOffset From, DateTimeOffset To) after, ReceptivenessResult r) =>
        new(d.Name, d.Start, [before.From, before.To], [after.From, after.To], r.Resamples, r.Seed,
            new Dictionary<string, ReceptivenessArmJson>(StringComparer.Ordinal)
            {
                [ExperimentArms.Feedback] = Arm(r.Feedback),
                [ExperimentArms.Control] = Arm(r.Control),
            },
            r.Effects);

    private static ReceptivenessArmJson Arm(ArmResult a) => new(a.Users, a.Before.ActiveUsers, a.After.ActiveUsers, a.Before.Metrics, a.After.Metrics);

    public static void Print(ExperimentDefinition d, (DateTimeOffset From, DateTimeOffset To) before, (DateTimeOffset From, DateTimeOffset To) after, ReceptivenessResult r)
    {
        static string D(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string N(double? v) => v?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
        var console = Terminal.Out;
        console.MarkupLine(Markup.Escape($"experiment {d.Name}: before {D(before.From)}..{D(before.To)}, after {D(after.From)}..{D(after.To)}; " +
            $"feedback {r.Feedback.Users} user(s) ({r.Feedback.Before.ActiveUsers} active before, {r.Feedback.After.ActiveUsers} after), " +
            $"control {r.Control.Users} ({r.Control.Before.ActiveUsers}, {r.Control.After.ActiveUsers})"));
        var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("metric (GPU-hour weighted)").NoWrap());
        foreach (var c in new[] { "feedback before", "after", "control before", "after", "diff. in diff.", "95 % interval" }) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var (metric, e) in r.Effects)
        {
            table.AddRow(metric, N(r.Feedback.Before.Metrics[metric]), N(r.Feedback.After.Metrics[metric]), N(r.Control.Before.Metrics[metric]), N(r.Control.After.Metrics[metric]),
                N(e.Did), e.Ci95 is { } ci ? Markup.Escape($"[{N(ci[0])}, {N(ci[1])}]") : "-");
        }
        console.Write(table);
        console.MarkupLine($"[grey]{r.Resamples:N0} bootstrap resamples over users (seed {r.Seed}). An interval that holds 0 shows no effect this data can tell from chance; read the README's limits.[/]");
    }
}
