using System.CommandLine;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary><c>coca behaviours</c>: the waste in the store's jobs, named, in kWh and gCO2e, with a tip.</summary>
internal static class BehavioursCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Jobs submitted at or after this date (ISO 8601)", HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = "Jobs submitted before this date", HelpName = "DATE" };
        var user = new Option<string?>("--user") { Description = "Only this user's jobs (others than yours: admins only)", HelpName = "USER" };
        var kind = new Option<string[]>("--kind") { Description = "Only these kinds (repeat, or separate with commas): " + string.Join(", ", BehaviourKind.All), HelpName = "KIND", AllowMultipleArgumentsPerToken = true };
        var by = new Option<string?>("--by") { Description = "Also sum jobs, energy and waste per framework, partition, account or tag:KEY (a tag from the job's comment)", HelpName = "WHAT" };
        var top = new Option<int>("--top") { Description = "Findings shown per kind, most avoidable energy first (default 5; the JSON has them all)", DefaultValueFactory = _ => 5, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print {\"since\", \"until\", \"findings\": [...], \"summary\": {...}} on stdout, streamed (indented at a terminal, compact into a pipe or file)" };
        var command = new Command("behaviours", """
            Find the behaviours that waste energy in the store's jobs — jobs that fail early or late, crash loops,
            hyper-parameter sweeps, GPUs held idle or unused, idle interactive sessions, data loaders starving the GPU,
            energy drawn after the last GPU activity — each with the energy and carbon it cost, what could have been
            avoided, and a tip. Works from sacct alone (Slurm's energy and gres/gpuutil) and better with the agents'.
            Thresholds: [behaviours] in the configuration (README). A user who is not an admin sees only their own.
            """);
        foreach (var o in new Option[] { since, until, user, kind, by, top, json }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var rules = BehaviourSettings.Rules(settings);
            var kinds = Kinds(parse.GetValue(kind));
            var byWhat = parse.GetValue(by);
            if (byWhat is not null) Validate(byWhat);
            if (parse.GetValue(top) is < 0 or > 100_000) throw new UsageException("--top must be a whole number from 0 to 100000");
            var query = new JobQuery(User: AccessScope.UserFilter(parse.GetValue(user), settings, Environment.UserName),
                Since: JobsCommands.Date(parse.GetValue(since), "--since"), Until: JobsCommands.Date(parse.GetValue(until), "--until"));
            using var s = store.OpenForReading(parse, settings);
            using var metrics = new MetricsLookup(() => store.OpenForReading(parse, settings));
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                // Indented for a person at a terminal; compact into a pipe or file, as the server sends it: a year's
                // findings are millions of objects, and indentation was a quarter of their bytes (a week: 64.5 MB against 47.5 MB).
                using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = !Console.IsOutputRedirected, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                Json(s, query, rules, StoreOptions.SiteCarbon(settings), kinds, byWhat, new BehavioursJson(writer), metrics);
                stdout.WriteByte((byte)'\n');
                return ExitCodes.Success;
            }
            var report = new BehavioursText(parse.GetValue(top));
            var analysis = new BehaviourAnalysis(rules, StoreOptions.SiteCarbon(settings), report.Add, kinds, byWhat, metrics.Of);
            foreach (var job in s.AnalysisJobs(query)) analysis.Add(job);
            report.Print(analysis.Finish(), byWhat, byWhat is null ? null : analysis.Groups());
            return ExitCodes.Success;
        });
        return command;
    }

    // The analysis with its JSON written as it goes.
    private static void Json(IJobStore store, JobQuery query, BehaviourRules rules, Core.Carbon.CarbonInputs carbon, IReadOnlyCollection<string>? kinds, string? by, BehavioursJson json,
        MetricsLookup metrics)
    {
        json.Start(query.Since, query.Until);
        var analysis = new BehaviourAnalysis(rules, carbon, json.Write, kinds, by, metrics.Of);
        foreach (var job in store.AnalysisJobs(query)) analysis.Add(job);
        var summary = analysis.Finish();
        json.End(summary, by, by is null ? null : analysis.Groups());
    }

    internal static IReadOnlyCollection<string>? Kinds(string[]? given)
    {
        if (given is null || given.Length == 0) return null;
        var kinds = given.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (var k in kinds)
        {
            if (!BehaviourKind.IsKnown(k)) throw new UsageException($"--kind '{k}' is not a behaviour; one of {string.Join(", ", BehaviourKind.All)}");
        }
        return kinds;
    }

    private static void Validate(string by)
    {
        try
        {
            BehaviourAnalysis.GroupOf(by);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
