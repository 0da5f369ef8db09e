using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Output;
using Coca.Commands.Site.Config;
using Coca.Commands.Site.Output;
using Coca.Core.Jobs;
using Coca.Core.Carbon;
using Coca.Core.Reports;
using Coca.Core.Units;
using Coca.Storage;
using Coca.Server;
using Coca.Storage.Json;
using Spectre.Console;

namespace Coca.Commands.Site;

/// <summary><c>coca jobs</c>, <c>coca job ID</c>, <c>coca users</c>: answers from the store.</summary>
internal static class JobsCommands
{
    public static Command Jobs()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var user = new Option<string?>("--user") { Description = "Only this user's jobs", HelpName = "USER" };
        var account = new Option<string?>("--account") { Description = "Only this account's jobs", HelpName = "ACCOUNT" };
        var state = new Option<string?>("--state") { Description = "Only jobs in this state (COMPLETED, FAILED, CANCELLED, TIMEOUT, …; default: every state)", HelpName = "STATE" };
        var partition = new Option<string?>("--partition") { Description = "Only jobs of this partition", HelpName = "PARTITION" };
        var node = new Option<string?>("--node") { Description = "Only jobs that ran on this node (it is in their node list, e.g. gpu03 in gpu[01-04])", HelpName = "NODE" };
        var tag = new Option<string?>("--tag") { Description = "Only jobs with this tag in their comment (sbatch --comment \"model=resnet50 task=train\")", HelpName = "KEY=VALUE" };
        var since = new Option<string?>("--since") { Description = "Jobs submitted at or after this date (ISO 8601, e.g. 2026-01-01)", HelpName = "DATE" };
        var until = new Option<string?>("--until") { Description = "Jobs submitted before this date", HelpName = "DATE" };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (default 10000)", DefaultValueFactory = _ => 10_000, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print {\"jobs\": [...]} on stdout (with --summary: the summary's JSON)" };
        var csv = new Option<bool>("--csv") { Description = "Print the jobs as CSV (RFC 4180, a header row, units in the column names, unknown as empty) on stdout" };
        var summary = new Option<bool>("--summary") { Description = "Sum the selected jobs instead of listing them: totals, each month, each final state" };
        var command = new Command("jobs", "List jobs with what they were and what they cost: name, start, elapsed, partition, nodes, GPUs, state and exit code, " +
            "energy (kWh), emissions (gCO2e), GPU utilisation. With --summary, a year of one user's jobs in a few lines: the store sums them.");
        foreach (var o in new Option[] { user, account, state, partition, node, tag, since, until, limit, summary, json, csv }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var query = new JobQuery(parse.GetValue(user), parse.GetValue(account), parse.GetValue(state), Date(parse.GetValue(since), "--since"), Date(parse.GetValue(until), "--until"), parse.GetValue(limit))
            {
                Partition = NonEmpty(parse.GetValue(partition), "--partition"),
                Node = Node(parse.GetValue(node)),
                Tag = Tag(parse.GetValue(tag)),
            };
            if (parse.GetValue(json) && parse.GetValue(csv)) throw new UsageException("--json and --csv: choose one");
            if (parse.GetValue(summary) && parse.GetValue(csv)) throw new UsageException("--summary has no CSV form: use --json");
            if (parse.GetValue(summary) && query.Node is not null) throw new UsageException("--node selects jobs to list; it does not combine with --summary");
            var settings = host.Settings(parse);
            var embodied = EmbodiedSettings.Factors(settings);
            using var s = store.OpenForReading(parse, settings);
            if (parse.GetValue(summary)) return PrintSummary(s.Summary(query), parse.GetValue(json), embodied);
            var rows = s.Jobs(query);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new JobsJson(rows.Select(r => JobJson.From(r).With(r, embodied)).ToList()), StoreJsonContext.Relaxed.JobsJson));
                return ExitCodes.Success;
            }
            if (parse.GetValue(csv))
            {
                JobsCsv.Write(Console.Out, rows, embodied);
                return ExitCodes.Success;
            }
            Terminal.Out.Write(JobsTable.Of(rows));
            Terminal.Out.MarkupLine($"[grey]{rows.Count} job(s); energy is what Coca4ai's agents measured ('-': not measured); gCO2e: operational (the hardware's share, embodied_g, is in --json and --csv)[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? NonEmpty(string? text, string option) =>
        text is null ? null : string.IsNullOrWhiteSpace(text) ? throw new UsageException($"{option}: empty") : text.Trim();

    // A node name as Slurm writes one in a host list: letters, digits, '-', '_' and '.'.
    private static string? Node(string? text)
    {
        if (text is null) return null;
        if (text.Length is 0 or > 255 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new UsageException($"--node '{Shorten(text)}' is not a node name (letters, digits, '-', '_', '.'; one node, not a list)");
        }
        return text;
    }

    private static string? Tag(string? text) =>
        text is null ? null : JobTags.TryFilter(text, out _) ? text.Trim() : throw new UsageException($"--tag '{Shorten(text)}' is not one KEY=VALUE (e.g. --tag model=resnet50)");

    private static string Shorten(string s) => new(s.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static int PrintSummary(JobSummary summary, bool json, EmbodiedFactors embodied)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, StoreJsonContext.Relaxed.JobSummary));
            return ExitCodes.Success;
        }
        if (summary.Total.Jobs == 0)
        {
            Terminal.Out.MarkupLine("[grey]no jobs match[/]");
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var c in new[] { "jobs", "GPU-hours", "measured", "energy", "kgCO2e", "Slurm's energy" }) table.AddColumn(new TableColumn(c).RightAligned());
        void Row(string key, JobTotals t, bool bold = false)
        {
            var cells = new[] { Markup.Escape(key), t.Jobs.ToString("N0", CultureInfo.InvariantCulture), t.GpuHours.ToString("N0", CultureInfo.InvariantCulture),
                t.MeasuredJobs.ToString("N0", CultureInfo.InvariantCulture), t.EnergyKwh is { } kwh ? Format.Energy(kwh * 3.6e6) : "-",
                t.EmissionsG is { } g ? (g / 1000).ToString("N1", CultureInfo.InvariantCulture) : "-",
                t.SlurmEnergyKwh is { } s ? $"{Format.Energy(s * 3.6e6)} ({t.SlurmEnergyJobs:N0})" : "-" };
            table.AddRow(bold ? cells.Select(c => $"[bold]{c}[/]").ToArray() : cells);
        }
        foreach (var m in summary.Months) Row(m.Key, m.Totals);
        table.AddEmptyRow();
        foreach (var st in summary.States) Row(st.Key, st.Totals);
        table.AddEmptyRow();
        Row("total", summary.Total, bold: true);
        Terminal.Out.Write(table);
        var share = summary.ShareNotCompleted is { } sh ? $"{sh.ToString("P0", CultureInfo.InvariantCulture)} of the measured energy of jobs that ended went to jobs that did not complete"
            : "no measured energy of jobs known to have ended";
        Terminal.Out.MarkupLine($"[grey]{share}; energy is what Coca4ai's agents measured, over the 'measured' jobs ('-': none measured); " +
            $"{summary.Total.UnknownEnergyJobs:N0} job(s) with no energy figure at all; Slurm's own figure (ConsumedEnergyRaw) is shown apart, for jobs no agent measured " +
            "(months by submit time, UTC)[/]");
        Terminal.Out.MarkupLine(Markup.Escape(CarbonLines.Totals(summary.Total, embodied)));
        return ExitCodes.Success;
    }

    public static Command Job()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var id = new Argument<string>("id") { Description = "Job id as Slurm shows it (123, 123_4) or its raw id" };
        var json = new Option<bool>("--json") { Description = "Print the job as JSON on stdout" };
        var command = new Command("job", "One job's report: what it held, how long, how it ended, where its energy went, its emissions and its waste.");
        command.Arguments.Add(id);
        command.Options.Add(json);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            using var s = store.OpenForReading(parse, settings);
            var text = parse.GetValue(id)!;
            var job = s.Job(text);
            // 123 is an array when tasks 123_N exist: Slurm gives the array's id to one of its tasks (or to the pending
            // rest), so the row found says so. Only then, or when no row has the id, are the tasks looked up (a scan).
            if ((job is null || job.ArrayJobId == text) && JobId.TryParse(text, out var typed) && typed!.Step is null && typed.HetComponent is null
                && !typed.Job.Contains('_', StringComparison.Ordinal))
            {
                var tasks = s.Jobs(new JobQuery(Limit: MaxArrayTasks) { ArrayJobId = typed.Job });
                if (tasks.Count > 0)
                {
                    var arrayFindings = JobFindings.OfArray(s, typed.Job, tasks, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings));
                    return PrintArray(JobReports.Array(typed.Job, tasks) with { Findings = arrayFindings }, parse.GetValue(json));
                }
            }
            if (job is null)
            {
                Console.Error.WriteLine($"coca job: no job {text} in the store");
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
            {
                var findings = JobFindings.Of(s, job, BehaviourSettings.Rules(settings), StoreOptions.SiteCarbon(settings));
                var report = JobJson.From(job).With(job, EmbodiedSettings.Factors(settings), s.CarbonMethod(job.JobIdRaw)) with
                {
                    PerGpu = JobReports.PerGpu(s.Series(job.JobIdRaw)), Findings = findings, Metrics = JobMetricJson.Of(s.MetricsOfJobs([job.JobId])),
                };
                Console.Out.WriteLine(JsonSerializer.Serialize(report, StoreJsonContext.Relaxed.JobJson));
            }
            else
            {
                Console.Out.Write(JobReports.Text(s, job, settings).Text);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // Slurm's MaxArraySize is at most 4,000,001: every task of the largest array.
    private const int MaxArrayTasks = 4_000_001;

    private static int PrintArray(JobArrayReport array, bool json)
    {
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(array, StoreJsonContext.Relaxed.JobArrayReport));
        else Console.Out.Write(JobArrayReport.Render(array));
        return ExitCodes.Success;
    }

    public static Command Users()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Jobs submitted at or after this date (ISO 8601)", HelpName = "DATE" };
        var json = new Option<bool>("--json") { Description = "Print {\"users\": [...]} on stdout" };
        var command = new Command("users", "Per-user totals: jobs, GPU-hours, kWh, gCO2e, and the share of energy spent in jobs that did not complete.");
        command.Options.Add(since);
        command.Options.Add(json);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var embodied = EmbodiedSettings.Factors(settings);
            using var s = store.OpenForReading(parse, settings);
            var rows = s.Users(Date(parse.GetValue(since), "--since"));
            if (parse.GetValue(json))
            {
                var users = rows.Select(u => UserJson.From(u).With(embodied)).ToList();
                Console.Out.WriteLine(JsonSerializer.Serialize(new UsersJson(users), StoreJsonContext.Relaxed.UsersJson));
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("user");
            foreach (var c in new[] { "jobs", "GPU-hours", "measured", "kWh", "gCO2e", "embodied g", "g together", "not completed", "Slurm's kWh" }) table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var u in rows)
            {
                table.AddRow(Markup.Escape(u.User), u.Jobs.ToString(CultureInfo.InvariantCulture), u.GpuHours.ToString("0.#", CultureInfo.InvariantCulture),
                    u.MeasuredJobs.ToString(CultureInfo.InvariantCulture), u.EnergyKwh?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-",
                    u.EmissionsG?.ToString("0", CultureInfo.InvariantCulture) ?? "-",
                    UserJson.From(u).With(embodied) is var withEmbodied && withEmbodied.EmbodiedG is { } eg ? eg.ToString("0", CultureInfo.InvariantCulture) : "-",
                    withEmbodied.EmissionsAndEmbodiedG?.ToString("0", CultureInfo.InvariantCulture) ?? "-", u.ShareNotCompleted?.ToString("P0", CultureInfo.InvariantCulture) ?? "-",
                    u.SlurmEnergyKwh is { } slurm ? $"{slurm.ToString("0.###", CultureInfo.InvariantCulture)} ({u.SlurmEnergyJobs})" : "-");
            }
            Terminal.Out.Write(table);
            Terminal.Out.MarkupLine("[grey]kWh and gCO2e: what Coca4ai's agents measured, over the 'measured' jobs ('-': none); embodied g: the hardware's share of the GPU jobs " +
                "(their GPU-hours, [[embodied]]); g together: gCO2e + embodied g; not completed: share of that energy " +
                "in jobs that ended otherwise than COMPLETED, among jobs known to have ended; Slurm's kWh: ConsumedEnergyRaw of jobs no agent measured (their count)[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static DateTimeOffset? Date(string? text, string option)
    {
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d
            : throw new UsageException($"{option} '{text}' is not a date (use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)");
    }
}
