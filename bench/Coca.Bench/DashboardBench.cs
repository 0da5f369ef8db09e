using System.Diagnostics;
using System.Net;
using Coca.Server;
using Coca.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Bench;

/// <summary>
/// The dashboard's pages for a user on the store benchmark's synthetic year (SQLite): the server on loopback, signed in
/// by a login link, its clock at the year's end so that "the last 30 days" hold jobs. Each page is requested several
/// times after one warm-up; the time is the request's on loopback (the server's, plus well under a millisecond).
/// </summary>
internal static class DashboardBench
{
    public sealed record PageTime(string User, long UserJobs, string Page, StoreScaleBench.Timing Time, int Bytes);

    private const int Repeats = 5;

    public static async Task<(double LoadSeconds, List<PageTime> Pages)> RunAsync(long jobs)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-dashboard");
        var location = "sqlite:" + dir.Combine("coca.db");
        var clock = Stopwatch.StartNew();
        IReadOnlyList<UserTotals> users;
        using (var store = JobStores.Open(location))
        {
            store.Migrate();
            store.BulkLoad(StoreScaleBench.Generate(jobs));
            users = store.Users(null);
        }
        var load = clock.Elapsed.TotalSeconds;
        // The heaviest user (the worst case), and one at the median of the users' job counts.
        var ranked = users.OrderByDescending(u => u.Jobs).ToList();
        var chosen = new[] { ranked[0], ranked[ranked.Count / 2] };

        // COCA_BENCH_PROFILE=1: the home page's store calls for the heaviest user, each timed alone.
        if (Environment.GetEnvironmentVariable("COCA_BENCH_PROFILE") == "1")
        {
            using var store = JobStores.OpenForReading(location);
            var end = new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero);
            void Time(string what, Action call)
            {
                call();
                clock.Restart();
                call();
                Console.Error.WriteLine($"{what}: {clock.Elapsed.TotalMilliseconds:0} ms");
            }
            Time("summary 30 days", () => store.Summary(new JobQuery(User: chosen[0].User, Since: end.AddDays(-30))));
            Time("summary 6 months", () => store.Summary(new JobQuery(User: chosen[0].User, Since: end.AddMonths(-6))));
            Time("analysis jobs 30 days", () => store.AnalysisJobs(new JobQuery(User: chosen[0].User, Since: end.AddDays(-30))).Count());
        }

        var options = new ServerOptions { Store = location, Listen = "http://127.0.0.1:0", Clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero)) };
        await using var app = CocaServer.Build(options);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var pages = new List<PageTime>();
        foreach (var user in chosen)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
            string secret;
            using (var store = JobStores.Open(location)) secret = store.IssueLogin(TokenRoles.User, user.User, TimeSpan.FromMinutes(5));
            using var login = await http.GetAsync("/login?token=" + Uri.EscapeDataString(secret));
            if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {login.StatusCode}");
            var cookie = login.Headers.GetValues("Set-Cookie").First().Split(';')[0];
            foreach (var page in new[] { "/", "/jobs" })
            {
                var seconds = new double[Repeats];
                var bytes = 0;
                for (var i = -1; i < Repeats; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, page);
                    request.Headers.Add("Cookie", cookie);
                    clock.Restart();
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var elapsed = clock.Elapsed.TotalSeconds;
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{page} answered {response.StatusCode}");
                    if (i >= 0) seconds[i] = elapsed;
                    bytes = body.Length;
                }
                Array.Sort(seconds);
                pages.Add(new PageTime(user.User, user.Jobs, page, new StoreScaleBench.Timing(seconds[Repeats / 2], seconds[0], seconds[^1]), bytes));
            }
        }
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (load, pages);
    }
}
