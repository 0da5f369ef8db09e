using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Core.Analysis;
using Coca.Core.Extrapolation;
using Coca.Storage;

namespace Coca.Commands.Site;

/// <summary><c>coca extrapolate</c>: the site's measured energy scaled to a target centre, with what-if savings (docs/extrapolate.md).</summary>
internal static class ExtrapolateCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Jobs submitted at or after this date (ISO 8601)", HelpName = "DATE" };
        var target = new Option<string>("--target") { Description = "jean-zay (built in, public figures) or a TOML file with the same keys", Required = true, HelpName = "NAME|FILE" };
        var whatIf = new Option<string?>("--what-if") { Description = "Scenarios, comma-separated (default: " + WhatIf.Defaults + "); also pue=X", HelpName = "LIST" };
        var json = new Option<bool>("--json") { Description = "Print {\"site\", \"target\", \"what_if\", \"rebound\"} on stdout" };
        var command = new Command("extrapolate", """
            Scale what the site measured (energy per GPU-hour by GPU type and state, its waste, idle GPUs) to a target
            centre, as yearly MWh and tCO2e [LOW, MID, HIGH] (a bootstrap over jobs and the target's stated ranges),
            with what-if scenarios applied to the site's own jobs then scaled, and the rebound view (monthly total
            energy against energy per GPU-hour). A user who is not an admin extrapolates from their own jobs.
            """);
        foreach (var o in new Option[] { since, target, whatIf, json }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var profile = Profile(parse.GetValue(target)!);
            IReadOnlyList<WhatIf> scenarios;
            try
            {
                scenarios = WhatIf.ParseList(parse.GetValue(whatIf) ?? WhatIf.Defaults);
            }
            catch (FormatException e)
            {
                throw new UsageException("--what-if: " + e.Message);
            }
            var rules = BehaviourSettings.Rules(settings);
            var carbon = StoreOptions.SiteCarbon(settings);
            var query = new JobQuery(User: AccessScope.UserFilter(null, settings, Environment.UserName), Since: JobsCommands.Date(parse.GetValue(since), "--since"), Limit: int.MaxValue);
            using var s = store.OpenForReading(parse, settings);
            var jobs = s.Jobs(query).Select(j => new SiteJob
            {
                JobId = j.JobId, ArrayJobId = j.ArrayJobId, User = j.User, Fingerprint = j.Fingerprint ?? 0, State = j.State, Submit = j.Submit, Start = j.Start,
                ElapsedS = j.ElapsedS, Gpus = j.Gpus ?? 0, GpuType = SiteJob.TypeFromTres(j.ReqTres), EnergyJ = j.TotalUj / 1e6 ?? j.SlurmEnergyJ,
                GpuUtilisation = j.GpuUtilisation, EnergyAfterLastGpuActivityJ = j.LastGpuActivity is null ? null : j.EnergyAfterLastGpuActivityUj / 1e6,
                Interactive = rules.IsInteractive(new AnalysisJob { JobId = j.JobId, Name = j.Name, Partition = j.Partition, Interactive = j.Interactive }),
            }).ToList();
            if (!jobs.Any(j => j.Gpus > 0 && j.EnergyJ is not null && j.GpuHours > 0))
            {
                throw new CommandFailedException("no GPU job with a known energy in the store" + (query.Since is null ? "" : " since --since") + ": nothing to scale from");
            }
            var analysis = new BehaviourAnalysis(rules, carbon, _ => { });
            foreach (var job in s.AnalysisJobs(query)) analysis.Add(job);
            var summary = analysis.Finish();
            double? waste = summary.EnergyKwh is > 0 and var analysed ? (summary.WastedKwh ?? 0) / analysed : null;
            var result = Extrapolation.Run(jobs, profile, scenarios, rules, carbon.Pue, waste);
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    ExtrapolationJson.Write(result, writer);
                }
                stdout.WriteByte((byte)'\n');
                return ExitCodes.Success;
            }
            Print(result);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The built-in profile by name, else the TOML file, checked; one line and exit 2 when it is not usable.</summary>
    internal static TargetProfile Profile(string target)
    {
        string text, source;
        if (target == "jean-zay") (text, source) = (JeanZayProfile.Toml, "jean-zay");
        else
        {
            try
            {
                (text, source) = (File.ReadAllText(target), target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--target: '{target}' is neither jean-zay nor a readable TOML file ({e.Message})");
            }
        }
        Dictionary<string, TomlEntry> entries;
        try
        {
            entries = TomlSubset.Parse(text, source);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
        var profile = TargetProfile.Read(entries.ToDictionary(k => k.Key, k => k.Value.Value, StringComparer.Ordinal), source, out var problem);
        return problem is null ? profile : throw new UsageException(problem);
    }

    private static void Print(ExtrapolationResult r)
    {
        static string T(Range3? x, string format) => x is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.Low.ToString(format, CultureInfo.InvariantCulture)} / {v.Mid.ToString(format, CultureInfo.InvariantCulture)} / {v.High.ToString(format, CultureInfo.InvariantCulture)}") : "unknown";
        var s = r.Site;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"site: {s.MeasuredGpuJobs} GPU jobs measured ({s.UnknownEnergyJobs} with no energy, left out) over {s.PeriodDays:0.#} days: {s.GpuHours:0} GPU-hours, {s.EnergyKwh:0.#} kWh, {s.KwhPerGpuHour:0.###} kWh per GPU-hour"));
        Console.WriteLine($"target {r.Target.Name} ({r.Target.Gpus} GPUs), a year, low / mid / high:");
        Console.WriteLine($"  energy    {T(r.Target.EnergyMwh, "0")} MWh");
        Console.WriteLine($"  emissions {T(r.Target.EmissionsT, "0")} tCO2e");
        Console.WriteLine($"  waste     {T(r.Target.WasteMwh, "0")} MWh");
        foreach (var n in r.Target.Notes) Console.WriteLine("  note: " + n);
        Console.WriteLine("what if (saved at the site over its period; at the target, a year):");
        foreach (var w in r.WhatIfs)
        {
            var site = w.SiteSavedKg is { } kg ? string.Create(CultureInfo.InvariantCulture, $"{kg:0.#} kg CO2e") : w.SiteSavedKwh is { } kwh ? string.Create(CultureInfo.InvariantCulture, $"{kwh:0.#} kWh") : "unknown";
            Console.WriteLine($"  {w.Scenario,-36} site {site,-16} target {T(w.TargetSavedMwh, "0.#")} MWh, {T(w.TargetSavedT, "0.#")} tCO2e{(w.Reason is null ? "" : " (" + w.Reason + ")")}");
        }
    }
}
