using System.Diagnostics;
using Coca.Core.Accounting;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// A synthetic Jean Zay year — millions of jobs over 3,000 GPUs, a realistic mix of users, sizes and states,
/// generated deterministically — loaded into the store: jobs/s, bytes per job, and the time of the per-user
/// totals (`coca users --since`) and of one user's year of jobs, summed (`coca jobs --summary`) and listed.
/// </summary>
internal static class StoreScaleBench
{
    /// <summary>A query's time over repeated runs: median and range.</summary>
    public sealed record Timing(double Median, double Min, double Max)
    {
        public override string ToString() => FormattableString.Invariant($"{Median:0.00} s ({Min:0.00}–{Max:0.00})");
    }

    public sealed record Result(string Store, long Jobs, double LoadSeconds, double JobsPerSecond, double BytesPerJob, Timing Users, int UserCount,
        Timing UserYearSummary, Timing UserYearListing, long UserYearJobs, string HeaviestUser);

    private const int Repeats = 5;
    private static readonly DateTimeOffset Year = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] States = ["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"];
    private static readonly int[] GpuCounts = [0, 1, 1, 1, 1, 2, 2, 4, 4, 8];

    public static async Task<Result> RunAsync(string kind, long jobs)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-store");
        var location = kind == "postgres" ? TestSupport.PostgresServer.NewDatabase() : "sqlite:" + dir.Combine("coca.db");
        using var store = JobStores.Open(location);
        store.Migrate();
        var clock = Stopwatch.StartNew();
        var written = store.BulkLoad(Generate(jobs));
        var load = clock.Elapsed.TotalSeconds;
        var bytes = store.JobsBytes();

        IReadOnlyList<UserTotals> users = [];
        var usersTime = Time(() => users = store.Users(Year));
        var heaviest = users.OrderByDescending(u => u.Jobs).First().User;
        var year = new JobQuery(User: heaviest, Since: Year, Until: Year.AddYears(1), Limit: 10_000_000);
        JobSummary? summary = null;
        var summaryTime = Time(() => summary = store.Summary(year));
        var listed = 0;
        var listingTime = Time(() => listed = store.Jobs(year).Count);
        if (listed != summary!.Total.Jobs) throw new InvalidOperationException($"the summary counts {summary.Total.Jobs} jobs, the listing {listed}");
        await Task.CompletedTask;
        return new Result(kind, written, load, written / load, bytes / (double)written, usersTime, users.Count, summaryTime, listingTime, summary.Total.Jobs, heaviest);
    }

    private static Timing Time(Action query)
    {
        var seconds = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            query();
            seconds[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        return new Timing(seconds[Repeats / 2], seconds[0], seconds[^1]);
    }

    /// <summary>Deterministic: a year of jobs from ~2,000 users (a few heavy, many light), 15 % of them array tasks.</summary>
    /// <param name="from">The year's first day (default 2025-01-01); a benchmark of a process that reads the real clock starts it a year ago.</param>
    public static IEnumerable<(AccountingJob, long[]?)> Generate(long count, DateTimeOffset? from = null)
    {
        var year = from ?? Year;
        var random = new Random(2025);
        var secondsPerJob = 365.0 * 86_400 / count;
        long array = 0;
        for (long i = 0; i < count; i++)
        {
            var userRank = (int)Math.Min(1_999, Math.Floor(Math.Pow(random.NextDouble(), 3) * 2_000)); // heavy users at low ranks
            var user = "user" + userRank.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var submit = year.AddSeconds(i * secondsPerJob);
            var wait = random.Next(0, 3_600);
            var elapsed = (long)Math.Min(20 * 3_600, Math.Exp(random.NextDouble() * 10)); // a few seconds to 20 h
            var gpus = GpuCounts[random.Next(GpuCounts.Length)];
            var state = States[random.Next(States.Length)];
            var raw = (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var isArray = random.NextDouble() < 0.15;
            if (isArray && (i % 50 == 0 || array == 0)) array = 1_000_000 + i;
            var task = isArray ? (int)(i % 50) : (int?)null;
            var job = new AccountingJob
            {
                JobIdRaw = raw,
                JobId = isArray ? $"{array}_{task}" : raw,
                ArrayJobId = isArray ? array.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                ArrayTaskId = task,
                Name = "job" + (i % 997).ToString(System.Globalization.CultureInfo.InvariantCulture),
                User = user,
                Account = "proj" + (userRank % 200).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Partition = gpus == 0 ? "cpu" : gpus >= 4 ? "gpu_p5" : "gpu_p2",
                Nodes = "jz" + random.Next(0, 1_500).ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
                Gpus = gpus,
                State = state,
                ExitCode = state == "COMPLETED" ? "0:0" : "1:0",
                Submit = submit,
                Start = submit.AddSeconds(wait),
                End = submit.AddSeconds(wait + elapsed),
                ElapsedS = elapsed,
            };
            long[]? energy = random.NextDouble() < 0.9
                ? [(long)(elapsed * 80e6), (long)(elapsed * 15e6), (long)(elapsed * gpus * 250e6 * random.NextDouble()), 0]
                : null;
            yield return (job, energy);
        }
    }
}
