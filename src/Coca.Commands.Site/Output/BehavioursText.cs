using System.Globalization;
using Coca.Commands.Node.Output;
using Coca.Core.Analysis;
using Spectre.Console;

namespace Coca.Commands.Site.Output;

/// <summary>
/// <c>coca behaviours</c> for people: one row per kind (findings, jobs, kWh, gCO2e, avoidable kWh), then each kind's
/// tip and its largest findings. Collects the per-kind sums as findings stream in; keeps only the top few of each.
/// </summary>
internal sealed class BehavioursText(int top)
{
    private readonly Dictionary<string, KindRow> _kinds = new(StringComparer.Ordinal);

    public void Add(Finding f)
    {
        if (!_kinds.TryGetValue(f.Kind, out var row)) _kinds[f.Kind] = row = new KindRow();
        row.Findings++;
        row.Jobs += f.Jobs.Count;
        if (f.EnergyKwh is { } e) row.EnergyKwh = (row.EnergyKwh ?? 0) + e;
        if (f.EmissionsG is { } g) row.EmissionsG = (row.EmissionsG ?? 0) + g;
        if (f.WastedKwh is { } w) row.WastedKwh = (row.WastedKwh ?? 0) + w;
        if (top == 0) return;
        row.Top.Add(f);
        if (row.Top.Count > top * 4)
        {
            row.Top.Sort(Largest);
            row.Top.RemoveRange(top, row.Top.Count - top);
        }
    }

    public void Print(BehaviourSummary summary, string? by, IReadOnlyList<ActivityGroup>? groups)
    {
        var console = Terminal.Out;
        if (_kinds.Count == 0)
        {
            console.MarkupLine($"[green]no behaviour found[/] in {summary.Jobs:N0} job(s)");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("behaviour");
        foreach (var c in new[] { "findings", "jobs", "kWh", "gCO2e", "avoidable kWh" }) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var kind in BehaviourKind.All.Where(_kinds.ContainsKey))
        {
            var r = _kinds[kind];
            table.AddRow(kind, N(r.Findings), N(r.Jobs), Kwh(r.EnergyKwh), G(r.EmissionsG), Kwh(r.WastedKwh));
        }
        console.Write(table);
        console.MarkupLine($"[grey]{summary.Jobs:N0} job(s) analysed, {Kwh(summary.EnergyKwh)} kWh known (the agents', else Slurm's), " +
            $"{summary.UnknownEnergyJobs:N0} with no energy figure; avoidable: {Kwh(summary.WastedKwh)} kWh, each job counted once " +
            "(a job can show several behaviours, so the rows may add up to more); '-': unknown[/]");
        foreach (var kind in BehaviourKind.All.Where(_kinds.ContainsKey))
        {
            var r = _kinds[kind];
            console.WriteLine();
            console.MarkupLine($"[bold]{kind}[/]: {Markup.Escape(BehaviourKind.Tip(kind))}");
            if (top == 0) continue;
            r.Top.Sort(Largest);
            var list = new Table().Border(TableBorder.Simple).AddColumns("user", "jobs").AddColumn(new TableColumn("kWh").RightAligned())
                .AddColumn(new TableColumn("avoidable kWh").RightAligned()).AddColumn("energy from");
            foreach (var f in r.Top.Take(top))
            {
                var jobs = f.Jobs.Count <= 3 ? string.Join(", ", f.Jobs) : $"{f.Jobs[0]}, {f.Jobs[1]} … {f.Jobs[^1]} ({f.Jobs.Count})";
                list.AddRow(Markup.Escape(f.User ?? "?"), Markup.Escape(jobs), Kwh(f.EnergyKwh), Kwh(f.WastedKwh), f.Provenance);
            }
            console.Write(list);
        }
        if (by is not null && groups is not null)
        {
            console.WriteLine();
            var g = new Table().Border(TableBorder.Rounded).AddColumn(Markup.Escape(by));
            foreach (var c in new[] { "jobs", "kWh", "unknown energy", "avoidable kWh", "findings" }) g.AddColumn(new TableColumn(c).RightAligned());
            foreach (var row in groups) g.AddRow(Markup.Escape(row.Key), N(row.Jobs), Kwh(row.EnergyKwh), N(row.UnknownEnergyJobs), Kwh(row.WastedKwh), N(row.Findings));
            console.Write(g);
        }
    }

    private static int Largest(Finding a, Finding b) => (b.WastedKwh ?? b.EnergyKwh ?? -1).CompareTo(a.WastedKwh ?? a.EnergyKwh ?? -1);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string Kwh(double? kwh) => kwh?.ToString(kwh < 10 ? "0.###" : "N1", CultureInfo.InvariantCulture) ?? "-";
    private static string G(double? g) => g?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

    private sealed class KindRow
    {
        public long Findings;
        public long Jobs;
        public double? EnergyKwh;
        public double? EmissionsG;
        public double? WastedKwh;
        public List<Finding> Top { get; } = [];
    }
}
