using System.Diagnostics;
using Coca.Core.Carbon;
using Coca.Storage;

namespace Coca.Bench;

/// <summary>
/// <c>coca carbon recompute</c> over the store benchmark's synthetic year (<see cref="StoreScaleBench.Generate"/>), with an
/// hourly series for 2025: the first run (every figure changes: hourly replaces the yearly figures written at load), a
/// second run with the same inputs (nothing changes), and a run after a PUE change (every figure changes again).
/// </summary>
internal static class CarbonRecomputeBench
{
    public sealed record Result(string Store, long Jobs, double LoadSeconds, int SeriesPoints, double ImportSeconds,
        double FirstSeconds, RecomputeResult First, double SameSeconds, RecomputeResult Same, double PueSeconds, RecomputeResult Pue);

    private static readonly DateTimeOffset Year = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="existing">A store already loaded with the year (the behaviours bench's, say): recomputed as it is, nothing loaded.</param>
    /// <param name="runs">1: the first run only; 2: and the same inputs again; 3: and after a PUE change (each run is minutes at 9 M).</param>
    public static Result Run(string kind, long jobs, string? existing = null, int runs = 3)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-carbon");
        var location = existing ?? (kind == "postgres" ? TestSupport.PostgresServer.NewDatabase() : "sqlite:" + dir.Combine("coca.db"));
        using var store = JobStores.Open(location);
        store.Migrate();
        var clock = Stopwatch.StartNew();
        var written = existing is null ? store.BulkLoad(StoreScaleBench.Generate(jobs)) : jobs;
        var load = existing is null ? clock.Elapsed.TotalSeconds : 0;

        // A French-like hourly year: a daily swing and a seasonal one, 15 to 125 g/kWh.
        var series = Enumerable.Range(0, 366 * 24).Select(h => new IntensityRow("FR", Year.AddHours(h),
            Math.Round(70 + 30 * Math.Sin(h * 2 * Math.PI / 24) + 25 * Math.Cos(h * 2 * Math.PI / (365 * 24)), 1), IntensityBasis.Direct)).ToList();
        clock.Restart();
        store.ImportIntensity(series);
        var import = clock.Elapsed.TotalSeconds;

        var stored = store.Intensity("FR");
        var hourly = new IntensitySeries(stored.Points);
        RecomputeInputs Inputs(double pue) => new(CarbonInputs.Resolve("FRA", null, pue), hourly, "FR", stored.Basis);
        (double, RecomputeResult) Timed(double pue)
        {
            var c = Stopwatch.StartNew();
            var r = store.RecomputeEmissions(Inputs(pue), since: null, done => { if (done % 1_000_000 == 0) Console.Error.WriteLine($"  {done:N0} jobs, {c.Elapsed.TotalSeconds:0} s"); });
            return (c.Elapsed.TotalSeconds, r);
        }
        // A kept store holds the figures of an earlier run: the first run takes the other of 1.2 and 1.25, so that every figure changes.
        var storedPue = existing is null ? null : store.Jobs(new JobQuery(Limit: 100)).FirstOrDefault(j => j.Pue is not null)?.Pue;
        var firstPue = storedPue is 1.2 ? 1.25 : 1.2;
        var (firstSeconds, first) = Timed(firstPue);
        var (sameSeconds, same) = runs >= 2 ? Timed(firstPue) : (double.NaN, new RecomputeResult(0, 0, 0, 0, 0));
        var (pueSeconds, pueRun) = runs >= 3 ? Timed(1.3) : (double.NaN, new RecomputeResult(0, 0, 0, 0, 0));
        if (same.Changed != 0) throw new InvalidOperationException($"a second recompute with the same inputs changed {same.Changed} figures");
        return new Result(kind, written, load, series.Count, import, firstSeconds, first, sameSeconds, same, pueSeconds, pueRun);
    }
}
