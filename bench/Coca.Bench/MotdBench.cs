using System.Diagnostics;
using Coca.Commands.Site.Feedback;
using Coca.Core.Analysis;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// `coca motd`'s reads and rendering (what a login waits for, past the process start) over the store benchmark's
/// synthetic year, for its heaviest user (the most jobs in the last five weeks) and a median one, at the year's end.
/// </summary>
internal static class MotdBench
{
    public sealed record Result(string Store, long Jobs, string User, int Lines, StoreScaleBench.Timing Banner);

    private const int Repeats = 21;

    public static IReadOnlyList<Result> Run(string kind, long jobs)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-motd");
        var location = kind == "postgres" ? TestSupport.PostgresServer.NewDatabase() : "sqlite:" + dir.Combine("coca.db");
        using (var writer = JobStores.Open(location))
        {
            writer.Migrate();
            writer.BulkLoad(StoreScaleBench.Generate(jobs));
        }
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var carbon = CarbonInputs.Resolve(null, null, 1.0);
        var results = new List<Result>();
        using var store = JobStores.OpenForReading(location, carbon);
        var users = store.Users(now.AddDays(-35)).OrderByDescending(u => u.Jobs).ThenBy(u => u.User, StringComparer.Ordinal).ToList();
        foreach (var user in new[] { users[0].User, users[users.Count / 2].User })
        {
            var seconds = new double[Repeats];
            var lines = 0;
            for (var i = 0; i < Repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                lines = BannerData.Build(store, user, now, BehaviourRules.Defaults, carbon).Lines.Count;
                seconds[i] = clock.Elapsed.TotalSeconds;
            }
            // The first call pays the JIT, as a login's process does: it is the maximum, kept; the median is a warm one.
            var sorted = seconds.Order().ToArray();
            results.Add(new Result(kind, jobs, user, lines, new StoreScaleBench.Timing(sorted[Repeats / 2], sorted[0], sorted[^1])));
        }
        return results;
    }
}
