using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Core.Simulation;
using Coca.Server;
using Coca.Slurm.Accounting;
using Coca.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca demo</c>: a simulated cluster loaded through the real paths — the sacct importer, then the server's ingest
/// endpoint with each node's agent token — into a temporary SQLite store, served until Ctrl-C, which removes it all.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The sample user whose token is printed beside the admin's: the simulation's busiest.</summary>
    public const string SampleUser = "u001";

    public static Command Create()
    {
        var days = new Option<int>("--days") { Description = "Days simulated (1 to 366; default 30)", DefaultValueFactory = _ => 30, HelpName = "N" };
        var listen = new Option<string>("--listen") { Description = "URL to listen on (default http://127.0.0.1:8080; port 0 picks a free one)", DefaultValueFactory = _ => "http://127.0.0.1:8080", HelpName = "URL" };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulation (default 1)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var command = new Command("demo", """
            Try Coca4ai without a cluster: simulate one (coca simulate's defaults, over the days up to today), import its
            sacct dump, push its agents' batches through the server's ingest API into a temporary SQLite store, and
            serve it with the dashboard. Prints two sign-in links (the admin's view of the cluster, a sample user's
            view of their own jobs), the matching API tokens and example requests. Ctrl-C stops the server and removes
            everything it made.
            """);
        foreach (var o in new Option[] { days, listen, seed }) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(days) is < 1 or > 366) throw new UsageException("--days must be a whole number from 1 to 366");
            if (parse.GetValue(seed) < 0) throw new UsageException("--seed must be a whole number ≥ 0");
            var url = ListenAddress.Url(parse.GetValue(listen)!);
            var clock = Stopwatch.StartNew();
            var dir = Directory.CreateTempSubdirectory("coca-demo-").FullName;
            try
            {
                // The period ends today, so that the dashboard's "last 30 days" show it.
                var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-parse.GetValue(days));
                await Run(new SimulationOptions { Days = parse.GetValue(days), Seed = (ulong)parse.GetValue(seed), Start = start }, dir, url, clock, cancel).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
                Console.Error.WriteLine($"coca demo: stopped; removed {dir}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task Run(SimulationOptions options, string dir, string listen, Stopwatch clock, CancellationToken cancel)
    {
        var sim = ClusterSimulation.Run(options);
        SimulateCommand.Write(sim, Path.Combine(dir, "sim"));
        var store = "sqlite:" + Path.Combine(dir, "coca.db");
        string admin, user, adminLink, userLink;
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var s = JobStores.Open(store))
        {
            s.Migrate();
            // The importer's own path: the same parser and upsert as `coca slurm import-sacct`.
            using (var reader = new StreamReader(Path.Combine(dir, "sim", "sacct.txt")))
            {
                var parsed = SacctParser.Parse(reader, "|", TimeZoneInfo.Utc);
                if (parsed.Problems.Count > 0) throw new CommandFailedException("the simulated dump did not import: " + parsed.Problems[0]);
                s.UpsertAccounting(parsed.Jobs);
            }
            admin = s.IssueToken(TokenRoles.Admin, "admin");
            user = s.IssueToken(TokenRoles.User, SampleUser);
            // One-time sign-in links, as coca token login-url prints them: good for a day, the demo's lifetime at most.
            adminLink = s.IssueLogin(TokenRoles.Admin, "admin", TimeSpan.FromDays(1));
            userLink = s.IssueLogin(TokenRoles.User, SampleUser, TimeSpan.FromDays(1));
            foreach (var node in sim.Nodes) agents[node] = s.IssueToken(TokenRoles.Agent, node);
        }
        var app = CocaServer.Build(new ServerOptions { Store = store, Listen = listen });
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancel).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new CommandFailedException($"cannot listen on {listen}: {e.Message} (try --listen http://127.0.0.1:0)");
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            var batches = await Push(address, Path.Combine(dir, "sim", "batches"), agents, cancel).ConfigureAwait(false);
            Console.Out.WriteLine($"coca demo: {sim.Jobs.Count} jobs on {sim.Nodes.Count} nodes over {options.Days} days, {batches} agent batches ingested; ready in {clock.Elapsed.TotalSeconds:0.0} s");
            Console.Out.WriteLine($"server:      {address}");
            Console.Out.WriteLine($"admin link:  {address}/login?token={Uri.EscapeDataString(adminLink)}   (open in a browser: the whole cluster; once)");
            Console.Out.WriteLine($"user link:   {address}/login?token={Uri.EscapeDataString(userLink)}   (user {SampleUser}'s own jobs; once)");
            Console.Out.WriteLine($"admin token: {admin}");
            Console.Out.WriteLine($"user token:  {user}   (user {SampleUser}: sees only their own jobs)");
            Console.Out.WriteLine($"try:         curl -H 'Authorization: Bearer {admin}' {address}/api/v1/behaviours");
            Console.Out.WriteLine($"             curl -H 'Authorization: Bearer {user}' {address}/api/v1/jobs");
            Console.Out.WriteLine($"store:       {store}  (coca jobs --db {store}; removed at Ctrl-C)");
            Console.Out.Flush();
            await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
        }
    }

    // Each node's batches through POST /api/v1/ingest with that node's token, as its agent would send them.
    private static async Task<int> Push(string address, string batches, Dictionary<string, string> agents, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(address + "/") };
        var count = 0;
        foreach (var file in Directory.GetFiles(batches, "*.json").Order(StringComparer.Ordinal))
        {
            var node = Path.GetFileNameWithoutExtension(file)[..Path.GetFileNameWithoutExtension(file).LastIndexOf('-')];
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest") { Content = new StringContent(await File.ReadAllTextAsync(file, cancel).ConfigureAwait(false)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agents[node]);
            using var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException($"ingest of {Path.GetFileName(file)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false)}");
            }
            count++;
        }
        return count;
    }
}
