using System.CommandLine;
using Coca.Commands.Node;
using Coca.Core.Accounting;
using Coca.Slurm.Accounting;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca slurm sync</c>: bring Slurm's view of recent jobs (state, exit code, user, account, name) into the store;
/// cron-able. Wires options to <see cref="SacctClient"/> or <see cref="SlurmrestdClient"/>, then writes.
/// </summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var since = new Option<string?>("--since") { Description = "Jobs that started or ended since this date (default: 2 days ago)", HelpName = "DATE" };
        var sacct = new Option<string?>("--sacct") { Description = "sacct binary (default: sacct on PATH)", HelpName = "PATH" };
        var restd = new Option<string?>("--slurmrestd") { Description = "Use slurmrestd at this URL instead of sacct, e.g. http://slurm:6820", HelpName = "URL" };
        var api = new Option<string>("--api") { Description = "slurmrestd's slurmdb API version: v0.0.38 (22.05) … v0.0.40 and later (default v0.0.40)", DefaultValueFactory = _ => "v0.0.40", HelpName = "VERSION" };
        var user = new Option<string?>("--slurmrestd-user") { Description = "X-SLURM-USER-NAME for slurmrestd (default: this user)", HelpName = "NAME" };
        var tokenFile = new Option<string?>("--slurmrestd-token-file") { Description = "File with the JWT for slurmrestd (scontrol token), sent as X-SLURM-USER-TOKEN", HelpName = "FILE" };
        var timezone = new Option<string?>("--timezone") { Description = "Zone of sacct's times (default: local)", HelpName = "TZ" };
        var command = new Command("sync", $"""
            Keep the store current with Slurm's accounting, so that every job the agents measured has its state, exit
            code, user, account and name: runs `sacct --allusers --parsable2 --starttime SINCE --format={SacctClient.Format}`
            (or asks slurmrestd's /slurmdb/VERSION/jobs) and imports the result, idempotently. Run it from cron.
            """);
        foreach (var o in new Option[] { since, sacct, restd, api, user, tokenFile, timezone }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(async (parse, cancel) =>
        {
            var from = JobsCommands.Date(parse.GetValue(since), "--since") ?? DateTimeOffset.UtcNow.AddDays(-2);
            IReadOnlyList<AccountingJob> jobs;
            IReadOnlyList<string> problems;
            if (parse.GetValue(restd) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                {
                    throw new UsageException($"--slurmrestd '{url}' is not an http(s) URL (e.g. http://slurm:6820)");
                }
                var token = parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file, cancel).ConfigureAwait(false)).Trim() : null;
                var client = new SlurmrestdClient(baseUrl, parse.GetValue(api)!, parse.GetValue(user) ?? Environment.UserName, token);
                (jobs, problems) = await client.ReadAsync(from, cancel).ConfigureAwait(false);
            }
            else
            {
                TimeZoneInfo zone;
                try
                {
                    zone = parse.GetValue(timezone) is { } tz ? TimeZoneInfo.FindSystemTimeZoneById(tz) : TimeZoneInfo.Local;
                }
                catch (TimeZoneNotFoundException)
                {
                    throw new UsageException($"unknown time zone '{parse.GetValue(timezone)}' (use an IANA name such as Europe/Paris)");
                }
                var binary = parse.GetValue(sacct) ?? "sacct";
                try
                {
                    var parsed = new SacctClient(binary).Read(from, zone);
                    (jobs, problems) = (parsed.Jobs, parsed.Problems);
                }
                catch (SacctNotRunnableException e)
                {
                    throw new UsageException($"{e.Message} (give --sacct PATH, or --slurmrestd URL)");
                }
            }
            foreach (var p in problems) Console.Error.WriteLine($"coca slurm sync: {p}");
            using var s = store.Open(parse, host.Settings(parse));
            var result = s.UpsertAccounting(jobs);
            Console.Error.WriteLine($"{jobs.Count} jobs since {from:yyyy-MM-dd HH:mm}Z: {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged");
            return problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
