using System.Diagnostics;
using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// `coca behaviours` over the store benchmark's synthetic year: the jobs of <see cref="StoreScaleBench.Generate"/>
/// with what sacct gives the rules (gres/gpuutil, TotalCPU, AllocCPUS, a submit line whose hyper-parameters vary),
/// loaded with the bulk path, then analysed whole as an admin would: the command itself, as a process (its runtime
/// settings, its metrics lookup, its JSON), timed from start to exit. The figures (findings, wasted kWh) come from the
/// same engine run here once, untimed.
/// </summary>
internal static class BehavioursBench
{
    public sealed record Result(string Store, long Jobs, double LoadSeconds, StoreScaleBench.Timing Analysis, long Findings, BehaviourSummary Summary);

    private const int Repeats = 3;

    /// <param name="existing">A store already loaded (a site's own, or an earlier run's copy): analysed as it is, nothing loaded.</param>
    /// <param name="load">Load the year into <paramref name="existing"/> first (an empty store kept for later runs: loading 9 M takes minutes).</param>
    /// <param name="coca">The command that runs coca (the README's ./coca, or `dotnet coca.dll` in smoke runs).</param>
    public static Result Run(string kind, long jobs, string[] coca, string? existing = null, bool load = false)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-behaviours");
        var location = existing ?? (kind == "postgres" ? TestSupport.PostgresServer.NewDatabase() : "sqlite:" + dir.Combine("coca.db"));
        var loading = existing is null || load;
        // A store loaded by an older coca is brought to the current schema first, as `coca store migrate` would.
        using var store = JobStores.Open(location);
        store.Migrate();
        var clock = Stopwatch.StartNew();
        if (loading) store.BulkLoad(WithRulesInputs(StoreScaleBench.Generate(jobs)));
        var loadSeconds = loading ? clock.Elapsed.TotalSeconds : 0;

        // COCA_BENCH_PROFILE=1: the read alone, then the read with the rules (no JSON), before the timed runs.
        if (Environment.GetEnvironmentVariable("COCA_BENCH_PROFILE") == "1")
        {
            clock.Restart();
            var n = store.AnalysisJobs(new JobQuery()).Count();
            Console.Error.WriteLine($"scan only: {clock.Elapsed.TotalSeconds:0.00} s for {n}");
            clock.Restart();
            long f = 0;
            var a = new BehaviourAnalysis(BehaviourRules.Defaults, CarbonInputs.Resolve(null, null, 1.0), _ => f++);
            foreach (var job in store.AnalysisJobs(new JobQuery())) a.Add(job);
            a.Finish();
            Console.Error.WriteLine($"scan + rules: {clock.Elapsed.TotalSeconds:0.00} s, {f} findings");
        }
        var (findings, summary) = Analyse(store);
        var seconds = new double[Repeats];
        for (var i = 0; i < Repeats; i++) seconds[i] = Command(coca, location, dir.Path);
        Array.Sort(seconds);
        if (loading && summary!.Jobs != jobs) throw new InvalidOperationException($"the analysis read {summary.Jobs} jobs of {jobs}");
        return new Result(kind, summary!.Jobs, loadSeconds, new StoreScaleBench.Timing(seconds[Repeats / 2], seconds[0], seconds[^1]), findings, summary);
    }

    // `coca behaviours --db URL --json`, its output to /dev/null (as a shell redirection: the bench reads nothing of it),
    // as an admin (every user's jobs), with no user configuration file.
    private static double Command(string[] coca, string location, string home)
    {
        var start = new ProcessStartInfo("sh", ["-c", "exec \"$@\" > /dev/null", "sh", .. coca, "behaviours", "--db", location, "--json"]) { RedirectStandardError = true };
        start.Environment["HOME"] = home;
        start.Environment["COCA_SITE_ADMINS"] = Environment.UserName;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"coca behaviours exited {process.ExitCode}: {stderr}");
        return seconds;
    }

    private static (long Findings, BehaviourSummary Summary) Analyse(IJobStore store)
    {
        using var json = new Utf8JsonWriter(Stream.Null);
        var output = new BehavioursJson(json);
        long findings = 0;
        output.Start(null, null);
        var analysis = new BehaviourAnalysis(BehaviourRules.Defaults, CarbonInputs.Resolve(null, null, 1.0), f =>
        {
            findings++;
            output.Write(f);
        });
        foreach (var job in store.AnalysisJobs(new JobQuery())) analysis.Add(job);
        var summary = analysis.Finish();
        output.End(summary);
        return (findings, summary);
    }

    // Deterministic, from its own seed so the store benchmark's jobs stay the same: 5 % of GPU jobs at 0 %, a quarter
    // below 15 %, the rest 20–100 %; CPUs 10–100 % busy; submit lines whose --lr varies within a name.
    private static IEnumerable<(AccountingJob, long[]?)> WithRulesInputs(IEnumerable<(AccountingJob Job, long[]? Energy)> jobs)
    {
        var random = new Random(13);
        foreach (var (job, energy) in jobs)
        {
            var gpus = job.Gpus ?? 0;
            var u = random.NextDouble();
            var util = u < 0.05 ? 0 : u < 0.30 ? random.NextDouble() * 0.15 : 0.2 + random.NextDouble() * 0.8;
            var cpus = 8 * Math.Max(1, gpus);
            yield return (job with
            {
                TresUsageInTot = gpus > 0 ? FormattableString.Invariant($"cpu=00:10:00,gres/gpuutil={Math.Round(util * 100 * gpus)}") : null,
                AllocCpus = cpus,
                TotalCpuS = (job.ElapsedS ?? 0) * cpus * (0.1 + random.NextDouble() * 0.9),
                SubmitLine = FormattableString.Invariant($"sbatch {job.Name}.sh --lr {random.Next(1, 100) / 1000.0}"),
            }, energy);
        }
    }
}
