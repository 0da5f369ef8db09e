using System.Diagnostics;
using Coca.Slurm.Accounting;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// A synthetic Jean Zay year — millions of jobs over 3,000 GPUs, a realistic mix of users, sizes and states,
/// generated deterministically — loaded into the store: jobs/s, bytes per job, and the time of the per-user
/// totals (`coca users --since`) and of one user's year of jobs (`coca jobs --user --since --until`).
/// </summary>
internal static class StoreScaleBench
{
    public sealed record Result(string Store, long Jobs, double LoadSeconds, double JobsPerSecond, double BytesPerJob, double UsersSeconds, int Users, double UserYearSeconds, int UserYearJobs, string HeaviestUser);

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

        clock.Restart();
        var users = store.Users(Year);
        var usersSeconds = clock.Elapsed.TotalSeconds;
        var heaviest = users.OrderByDescending(u => u.Jobs).First().User;
        clock.Restart();
        var year = store.Jobs(new JobQuery(User: heaviest, Since: Year, Until: Year.AddYears(1), Limit: 1_000_000));
        var userYear = clock.Elapsed.TotalSeconds;
        await Task.CompletedTask;
        return new Result(kind, written, load, written / load, bytes / (double)written, usersSeconds, users.Count, userYear, year.Count, heaviest);
    }

    /// <summary>Deterministic: a year of jobs from ~2,000 users (a few heavy, many light), 15 % of them array tasks.</summary>
    public static IEnumerable<(SlurmJob, long[]?)> Generate(long count)
    {
        var random = new Random(2025);
        var secondsPerJob = 365.0 * 86_400 / count;
        long array = 0;
        for (long i = 0; i < count; i++)
        {
            var userRank = (int)Math.Min(1_999, Math.Floor(Math.Pow(random.NextDouble(), 3) * 2_000)); // heavy users at low ranks
            var user = "user" + userRank.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var submit = Year.AddSeconds(i * secondsPerJob);
            var wait = random.Next(0, 3_600);
            var elapsed = (long)Math.Min(20 * 3_600, Math.Exp(random.NextDouble() * 10)); // a few seconds to 20 h
            var gpus = GpuCounts[random.Next(GpuCounts.Length)];
            var state = States[random.Next(States.Length)];
            var raw = (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var isArray = random.NextDouble() < 0.15;
            if (isArray && (i % 50 == 0 || array == 0)) array = 1_000_000 + i;
            var task = isArray ? (int)(i % 50) : (int?)null;
            var job = new SlurmJob
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
