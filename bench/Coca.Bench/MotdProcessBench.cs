using System.Diagnostics;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// `coca motd` as a login pays for it: the whole process (runtime start, settings, store, reads, rendering, exit) of a
/// published binary — NativeAOT for the login nodes, the login edition coca-motd or the full coca — against a SQLite store of the store benchmark's year, generated to
/// end now (the process reads the real clock), for its heaviest user and a median one.
/// </summary>
internal static class MotdProcessBench
{
    public sealed record Result(long Jobs, string User, int Lines, StoreScaleBench.Timing Process);

    private const int Repeats = 21;

    public static IReadOnlyList<Result> Run(string binary, long jobs)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-motd-process");
        var location = "sqlite:" + dir.Combine("coca.db");
        var now = DateTimeOffset.UtcNow;
        using (var writer = JobStores.Open(location))
        {
            writer.Migrate();
            writer.BulkLoad(StoreScaleBench.Generate(jobs, now.AddDays(-365)));
        }
        List<string> users;
        using (var store = JobStores.OpenForReading(location, CarbonInputs.Resolve(null, null, 1.0)))
        {
            users = [.. store.Users(now.AddDays(-35)).OrderByDescending(u => u.Jobs).ThenBy(u => u.User, StringComparer.Ordinal).Select(u => u.User)];
        }
        var results = new List<Result>();
        // First the start alone (`coca --version`): on a shared machine it says how much of the banner's time is the machine's.
        foreach (var user in new[] { (string?)null, users[0], users[users.Count / 2] })
        {
            var seconds = new double[Repeats];
            var lines = 0;
            for (var i = 0; i < Repeats; i++)
            {
                // The login edition (coca-motd) is the banner itself; the full coca takes it as a subcommand.
                string[] banner = Path.GetFileName(binary) == "coca-motd" ? [] : ["motd"];
                string[] args = user is null ? ["--version"] : [.. banner, "--user", user, "--db", location];
                var start = new ProcessStartInfo(binary, args) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.Environment["HOME"] = dir.Path; // no user config file
                var clock = Stopwatch.StartNew();
                using var p = Process.Start(start)!;
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                seconds[i] = clock.Elapsed.TotalSeconds;
                if (p.ExitCode != 0) throw new InvalidOperationException($"{binary} motd exited {p.ExitCode}: {p.StandardError.ReadToEnd()}");
                lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            }
            // The first call also logs the day's tip (a write); the median is what every later login pays.
            var sorted = seconds.Order().ToArray();
            results.Add(new Result(jobs, user ?? "(coca --version: the start alone)", user is null ? 0 : lines, new StoreScaleBench.Timing(sorted[Repeats / 2], sorted[0], sorted[^1])));
        }
        return results;
    }
}
