using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Coca.Commands.Node;
using Coca.Slurm.Accounting;

namespace Coca.Commands.Site;

/// <summary><c>coca slurm sync</c>: bring Slurm's view of recent jobs (state, exit code, user, account, name) into the store; cron-able.</summary>
internal static class SyncCommand
{
    public const string SacctFormat = "JobID,JobIDRaw,JobName,User,Group,Account,Partition,NodeList,AllocTRES,Submit,Start,End,Elapsed,State,ExitCode,ConsumedEnergyRaw,TRESUsageInTot,Comment";

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
            code, user, account and name: runs `sacct --allusers --parsable2 --starttime SINCE --format={SacctFormat}`
            (or asks slurmrestd's /slurmdb/VERSION/jobs) and imports the result, idempotently. Run it from cron.
            """);
        foreach (var o in new Option[] { since, sacct, restd, api, user, tokenFile, timezone }) command.Options.Add(o);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(async (parse, cancel) =>
        {
            var from = JobsCommands.Date(parse.GetValue(since), "--since") ?? DateTimeOffset.UtcNow.AddDays(-2);
            IReadOnlyList<SlurmJob> jobs;
            IReadOnlyList<string> problems;
            if (parse.GetValue(restd) is { } url)
            {
                (jobs, problems) = await FromSlurmrestd(url, parse.GetValue(api)!, parse.GetValue(user) ?? Environment.UserName, parse.GetValue(tokenFile), from, cancel).ConfigureAwait(false);
            }
            else
            {
                var zone = parse.GetValue(timezone) is { } tz ? TimeZoneInfo.FindSystemTimeZoneById(tz) : TimeZoneInfo.Local;
                (jobs, problems) = FromSacct(parse.GetValue(sacct) ?? "sacct", from.ToOffset(zone.GetUtcOffset(from.UtcDateTime)), zone);
            }
            foreach (var p in problems) Console.Error.WriteLine($"coca slurm sync: {p}");
            using var s = store.Open(parse, host.Settings(parse));
            var result = s.UpsertAccounting(jobs);
            Console.Error.WriteLine($"{jobs.Count} jobs since {from:yyyy-MM-dd HH:mm}Z: {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged");
            return problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static (IReadOnlyList<SlurmJob>, IReadOnlyList<string>) FromSacct(string binary, DateTimeOffset since, TimeZoneInfo zone)
    {
        var psi = new ProcessStartInfo(binary, ["--allusers", "--parsable2", "--starttime", since.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), "--format=" + SacctFormat])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"cannot run {binary}: {e.Message} (give --sacct PATH, or --slurmrestd URL)");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(true);
            if (process.ExitCode != 0) throw new InvalidOperationException($"{binary} failed ({process.ExitCode}): {error.Result.Trim()}");
            var parsed = SacctParser.Parse(new StringReader(output.Result), "|", zone);
            return (parsed.Jobs, parsed.Problems);
        }
    }

    private static async Task<(IReadOnlyList<SlurmJob>, IReadOnlyList<string>)> FromSlurmrestd(string url, string version, string user, string? tokenFile, DateTimeOffset since, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"slurmdb/{version}/jobs?start_time={since.ToUnixTimeSeconds()}");
        request.Headers.Add("X-SLURM-USER-NAME", user);
        if (tokenFile is not null) request.Headers.Add("X-SLURM-USER-TOKEN", (await File.ReadAllTextAsync(tokenFile, cancel).ConfigureAwait(false)).Trim());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"slurmrestd at {url} unreachable: {e.Message}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"slurmrestd answered {(int)response.StatusCode} for {request.RequestUri}");
            try
            {
                return SlurmrestdJobs.Parse(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidOperationException($"slurmrestd's answer is not JSON: {e.Message}");
            }
        }
    }
}
