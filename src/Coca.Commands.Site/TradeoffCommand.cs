using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Core.Jobs;
using Coca.Core.Metrics;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary><c>coca tradeoff</c>: each run's energy beside its best value of a metric, the Pareto front and the cost of the top.</summary>
internal static class TradeoffCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var jobs = new Option<string?>("--jobs") { Description = "The runs: job ids, comma-separated", HelpName = "ID,ID…" };
        var sweep = new Option<string?>("--sweep") { Description = "The runs: the jobs of one fingerprint (16 hex digits, as `coca jobs --json` shows it)", HelpName = "FINGERPRINT" };
        var project = new Option<string?>("--project") { Description = "The runs: the jobs tagged project=NAME", HelpName = "NAME" };
        var metric = new Option<string>("--metric") { Description = "The metric (its best value per job counts)", Required = true, HelpName = "NAME" };
        var maximize = new Option<bool>("--maximize") { Description = "Higher is better (the default: accuracy)" };
        var minimize = new Option<bool>("--minimize") { Description = "Lower is better (loss)" };
        var json = new Option<bool>("--json") { Description = "One JSON object on stdout" };
        var plot = new Option<string?>("--plot") { Description = "Write the figure (energy across, the metric up, the front highlighted, the best ringed) to FILE.svg or FILE.png", HelpName = "FILE.svg|FILE.png" };
        var command = new Command("tradeoff", """
            The energy-vs-metric trade-off of some runs: each job's measured energy (kWh) and its best value of the
            metric (from `coca metrics import` or log_metric); the Pareto front (no other run is as good for less
            energy); the best run; and what its lead over the front's runner-up cost, also as a share of all the runs'
            energy. Jobs without measured energy or without the metric are listed apart, never counted as 0.
            Users see their own jobs; admins ([site] admins, root) everyone's.
            Example: coca tradeoff --sweep 3f2a9c0d4b5e6f70 --metric accuracy --plot sweep.svg
            """);
        foreach (var o in new Option[] { jobs, sweep, project, metric, maximize, minimize, json, plot }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var name = parse.GetValue(metric)!;
            if (!MetricPoint.IsValidName(name)) throw new UsageException($"--metric: '{name}' is not 1-{MetricPoint.MaxNameLength} letters, digits, _ . : / -");
            if (parse.GetValue(maximize) && parse.GetValue(minimize)) throw new UsageException("--maximize and --minimize exclude each other");
            var selections = new[] { parse.GetValue(jobs), parse.GetValue(sweep), parse.GetValue(project) }.Count(s => s is not null);
            if (selections != 1) throw new UsageException("give exactly one of --jobs, --sweep and --project");
            var plotPath = parse.GetValue(plot);
            var png = plotPath?.EndsWith(".png", StringComparison.OrdinalIgnoreCase) == true;
            if (plotPath is not null && !png && !plotPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--plot: {plotPath}: the figure is written as .svg or .png");
            var user = AccessScope.UserFilter(null, settings, Environment.UserName);

            using var s = store.OpenForReading(parse, settings);
            var rows = Select(s, user, parse.GetValue(jobs), parse.GetValue(sweep), parse.GetValue(project));
            var max = !parse.GetValue(minimize);
            var result = Tradeoff.Compute(name, Inputs(s, rows, name, max), max);

            if (plotPath is not null)
            {
                try
                {
                    if (png) File.WriteAllBytes(plotPath, TradeoffPng.Render(result));
                    else File.WriteAllText(plotPath, TradeoffSvg.Render(result));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
                {
                    throw new CommandFailedException($"--plot {plotPath}: {e.Message}");
                }
            }
            if (parse.GetValue(json)) Console.Out.WriteLine(Json(result));
            else Console.Out.Write(Text(result));
            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<JobRow> Select(IJobStore store, string? user, string? ids, string? sweep, string? project)
    {
        IReadOnlyList<JobRow> rows;
        if (ids is not null)
        {
            var list = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length == 0) throw new UsageException("--jobs: no job id given");
            foreach (var id in list) if (!JobId.TryParse(id, out _)) throw new UsageException($"--jobs: {JobId.Describe(id)}");
            rows = list.Select(id => store.Job(id) ?? throw new CommandFailedException($"job {id} is not in the store")).ToList();
        }
        else if (sweep is not null)
        {
            if (!JobFingerprint.TryParse(sweep, out var fingerprint)) throw new UsageException($"--sweep: '{sweep}' is not a fingerprint (16 hex digits)");
            rows = store.Jobs(new JobQuery(User: user, Limit: 100_000) { Fingerprint = fingerprint });
        }
        else
        {
            if (!JobTags.TryFilter("project=" + project, out _)) throw new UsageException($"--project: '{project}' is not a tag value");
            rows = store.Jobs(new JobQuery(User: user, Limit: 100_000) { Tag = "project=" + project });
        }
        // Another user's job is not shown, even by id: as if it were not stored.
        var foreign = rows.FirstOrDefault(r => user is not null && r.User != user);
        if (foreign is not null) throw new CommandFailedException($"job {foreign.JobId} is not in the store");
        return rows;
    }

    // Metrics are filed under the id the export gave: the raw id or the one users know (123_4).
    private static IEnumerable<TradeoffInput> Inputs(IJobStore store, IReadOnlyList<JobRow> rows, string metric, bool maximize)
    {
        var points = store.Metrics(rows.SelectMany(r => new[] { r.JobIdRaw, r.JobId }).ToList(), metric)
            .GroupBy(m => m.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(m => m.Point.Value).ToList(), StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var values = (points.GetValueOrDefault(r.JobIdRaw) ?? []).Concat(r.JobId != r.JobIdRaw ? points.GetValueOrDefault(r.JobId) ?? [] : []);
            yield return new TradeoffInput(r.JobId, r.TotalUj / 3.6e12, Tradeoff.BestValue(values, maximize));
        }
    }

    private static string Json(TradeoffResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("metric", r.Metric);
            w.WriteBoolean("maximize", r.Maximize);
            w.WriteStartArray("points");
            foreach (var p in r.Points)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Id);
                w.WriteNumber("energy_kwh", p.EnergyKwh);
                w.WriteNumber("value", p.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Strings(w, "pareto", r.Pareto);
            if (r.Best is null) w.WriteNull("best");
            else w.WriteString("best", r.Best);
            if (r.Marginal is not { } m) w.WriteNull("marginal");
            else
            {
                w.WriteStartObject("marginal");
                w.WriteString("from", m.From);
                w.WriteString("to", m.To);
                w.WriteNumber("delta_value", m.DeltaValue);
                w.WriteNumber("delta_kwh", m.DeltaKwh);
                w.WriteNumber("share_of_energy", m.ShareOfEnergy);
                w.WriteEndObject();
            }
            w.WriteNumber("dominated_kwh", r.DominatedKwh);
            Strings(w, "without_energy", r.WithoutEnergy);
            Strings(w, "without_value", r.WithoutValue);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static string Text(TradeoffResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"{"job",-16} {"energy_kwh",12} {r.Metric,12}  front");
        foreach (var p in r.Points.OrderBy(p => p.EnergyKwh))
        {
            var mark = p.Id == r.Best ? "* best" : r.Pareto.Contains(p.Id) ? "*" : "";
            s.AppendLine(c, $"{p.Id,-16} {p.EnergyKwh,12:0.######} {p.Value,12:0.####}  {mark}");
        }
        if (r.Marginal is { } m)
        {
            s.AppendLine(c, $"the last {m.DeltaValue:0.####} of {r.Metric} ({m.From} → {m.To}) cost {m.DeltaKwh:0.###} kWh, {m.ShareOfEnergy * 100:0.#} % of these runs' energy");
        }
        s.AppendLine(c, $"dominated runs: {r.Points.Count - r.Pareto.Count}, {r.DominatedKwh:0.###} kWh");
        if (r.WithoutEnergy.Count > 0) s.AppendLine(c, $"without measured energy (left out): {string.Join(", ", r.WithoutEnergy)}");
        if (r.WithoutValue.Count > 0) s.AppendLine(c, $"without {r.Metric} (left out): {string.Join(", ", r.WithoutValue)}");
        return s.ToString();
    }
}
