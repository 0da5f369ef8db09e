using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Output;
using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary><c>coca experiment create</c> and <c>coca receptiveness</c>: a controlled experiment on feedback, and its result.</summary>
internal static class ExperimentCommands
{
    private static readonly TimeSpan EightWeeks = ReceptivenessPeriod.DefaultSpan;

    public static Command Experiment()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var name = new Argument<string>("NAME") { Description = "The experiment's name" };
        var start = new Option<string>("--start") { Description = "From this date (ISO 8601) the control arm gets no digest and no tips", HelpName = "DATE", Required = true };
        var share = new Option<double>("--control-share") { Description = "Share of users in the control arm, 0.05–0.95 (default 0.5)", DefaultValueFactory = _ => 0.5, HelpName = "SHARE" };
        var seed = new Option<long>("--seed") { Description = "Seed of the assignment (default 1): the same seed and users give the same arms", DefaultValueFactory = _ => 1, HelpName = "N" };
        var by = new Option<string?>("--stratify-by") { Description = "energy: users ranked by their energy in the 8 weeks before --start, each block of neighbours split between the arms", HelpName = "WHAT" };
        var create = new Command("create", "Assign every user active in the 8 weeks before --start to the feedback or the control arm (admins only)");
        create.Arguments.Add(name);
        foreach (var o in new Option[] { start, share, seed, by }) create.Options.Add(o);
        store.AddTo(create);
        create.Options.Add(host.ConfigFile);
        create.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            RequireAdmin(settings);
            var from = JobsCommands.Date(parse.GetValue(start), "--start")!.Value;
            var controlShare = parse.GetValue(share);
            if (!(controlShare is >= 0.05 and <= 0.95)) throw new UsageException("--control-share must be from 0.05 to 0.95");
            var stratify = parse.GetValue(by);
            if (stratify is not (null or ExperimentAssignment.ByEnergy)) throw new UsageException($"--stratify-by '{stratify}': only '{ExperimentAssignment.ByEnergy}' is known");
            var experimentName = parse.GetValue(name)!;
            if (experimentName.Length is 0 or > 100) throw new UsageException("NAME must be 1–100 characters");
            using var s = store.Open(parse, settings);
            var prior = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var job in s.AnalysisJobs(new JobQuery(Since: from - EightWeeks, Until: from)))
            {
                if (job.User is not { Length: > 0 } user) continue;
                prior[user] = job.EnergyJ is { } j ? (prior.GetValueOrDefault(user) ?? 0) + j / 3.6e6 : prior.GetValueOrDefault(user);
            }
            var arms = ExperimentAssignment.Assign(prior.Select(p => (p.Key, p.Value)).ToList(), controlShare, parse.GetValue(seed), stratify);
            var definition = new ExperimentDefinition(experimentName, from, controlShare, parse.GetValue(seed), stratify);
            if (!s.Feedback.CreateExperiment(definition, arms)) throw new CommandFailedException($"an experiment named '{experimentName}' exists already");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"experiment {experimentName} from {from:yyyy-MM-dd}: {arms.Count(a => a.Arm == ExperimentArms.Feedback)} user(s) get feedback, {arms.Count(a => a.Arm == ExperimentArms.Control)} are the control (seed {definition.Seed})"));
            return ExitCodes.Success;
        });
        var command = new Command("experiment", "Receptiveness experiments: does feedback change what users do? (`coca receptiveness NAME` reads the result)");
        command.Subcommands.Add(create);
        command.Subcommands.Add(Arms());
        return command;
    }

    private static Command Arms()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var name = new Argument<string>("NAME") { Description = "The experiment's name" };
        var command = new Command("arms", "Each user's arm, stratum and energy in the 8 weeks before the start, as USER ARM STRATUM KWH lines (admins only)");
        command.Arguments.Add(name);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            RequireAdmin(settings);
            using var s = store.OpenForReading(parse, settings);
            var (_, arms) = s.Feedback.Experiment(parse.GetValue(name)!) ?? throw new CommandFailedException($"no experiment named '{parse.GetValue(name)}'");
            foreach (var a in arms) Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.User} {a.Arm} {a.Stratum} {(a.PriorKwh is { } k ? k.ToString("0.###", CultureInfo.InvariantCulture) : "-")}"));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Receptiveness()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var name = new Argument<string>("NAME") { Description = "The experiment's name" };
        var before = new Option<string?>("--before") { Description = "The period before, D1..D2 (default: the 8 weeks before the start)", HelpName = "D1..D2" };
        var after = new Option<string?>("--after") { Description = "The period after, D3..D4 (default: the 8 weeks from the start)", HelpName = "D3..D4" };
        var json = new Option<bool>("--json") { Description = "Print {\"experiment\", \"groups\": {\"feedback\", \"control\"}, \"effects\": {METRIC: {\"did\", \"ci95\"}}} on stdout" };
        var command = new Command("receptiveness", """
            Compare an experiment's arms before and after its start: per metric (kWh per GPU-hour, share of energy in jobs that
            did not complete, share of GPU-hours at 0 % utilisation, avoidable kWh per GPU-hour), each arm's mean weighted by
            GPU-hours, the difference in differences and its 95 % bootstrap interval over users (2,000 resamples, fixed seed). Admins only.
            """);
        command.Arguments.Add(name);
        foreach (var o in new Option[] { before, after, json }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            RequireAdmin(settings);
            using var s = store.OpenForReading(parse, settings);
            var experimentName = parse.GetValue(name)!;
            var (definition, arms) = s.Feedback.Experiment(experimentName) ?? throw new CommandFailedException($"no experiment named '{experimentName}' (coca experiment create)");
            var b = Period(parse.GetValue(before), "--before", (definition.Start - EightWeeks, definition.Start));
            var a = Period(parse.GetValue(after), "--after", (definition.Start, definition.Start + EightWeeks));
            var members = arms.Select(x => x.User).ToHashSet(StringComparer.Ordinal);
            var rules = BehaviourSettings.Rules(settings);
            var carbon = StoreOptions.SiteCarbon(settings);
            IReadOnlyDictionary<string, UserPeriod> Read((DateTimeOffset From, DateTimeOffset To) p) =>
                ReceptivenessPeriod.Over(rules, carbon, members.Contains, s.AnalysisJobs(new JobQuery(Since: p.From, Until: p.To)));
            var result = Core.Analysis.Receptiveness.Compare(arms, Read(b), Read(a), seed: definition.Seed);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ReceptivenessOutput.Json(definition, b, a, result), SiteJsonContext.Relaxed.ReceptivenessJson));
                return ExitCodes.Success;
            }
            ReceptivenessOutput.Print(definition, b, a, result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void RequireAdmin(Node.Config.CocaSettings settings)
    {
        if (AccessScope.UserFilter(null, settings, Environment.UserName) is not null)
        {
            throw new UsageException($"experiments compare users: admins only (root or [site] admins), not {Environment.UserName}");
        }
    }

    private static (DateTimeOffset From, DateTimeOffset To) Period(string? text, string option, (DateTimeOffset, DateTimeOffset) fallback)
    {
        if (text is null) return fallback;
        var parts = text.Split("..");
        if (parts.Length != 2) throw new UsageException($"{option} '{text}' is not D1..D2 (e.g. 2026-01-05..2026-03-02)");
        var from = JobsCommands.Date(parts[0], option)!.Value;
        var to = JobsCommands.Date(parts[1], option)!.Value;
        return to > from ? (from, to) : throw new UsageException($"{option} '{text}': the period must end after it begins");
    }
}
