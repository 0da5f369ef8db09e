using Coca.Agent.Push;
using Coca.Core.Ingest;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Push;

public sealed class SpoolTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private readonly TempDirectory _dir = new("coca-spool");

    private static IngestBatch Batch(long sequence, bool final) => new("n1", sequence,
        [new JobMeasurement { JobIdRaw = "42", Node = "n1", User = "ada", AsOf = At, Final = final }],
        [new SeriesPoint("42", "n1", "gpu:a", At, 1, 300, 0.5)]);

    [Fact]
    public void A_full_spool_keeps_a_finished_jobs_final_figures_and_drops_only_series_points()
    {
        var log = new List<string>();
        var spool = new Spool(_dir.Path, maxBatches: 2, log.Add);
        spool.Add(Batch(1, final: true));
        for (var s = 2; s <= 5; s++) spool.Add(Batch(s, final: false));

        var pending = spool.Pending();
        Assert.Equal([1L, 5], pending.Select(p => p.Sequence)); // the kept batch counts towards the bound
        var kept = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(pending[0].Path), IngestJsonContext.Default.IngestBatch)!;
        Assert.True(Assert.Single(kept.Jobs).Final);
        Assert.Empty(kept.Series);
        Assert.Contains(log, l => l.Contains("final job figures are kept", StringComparison.Ordinal));
    }

    [Fact]
    public void A_full_spool_keeps_a_batchs_job_metrics_which_are_read_only_once()
    {
        var spool = new Spool(_dir.Path, maxBatches: 2, _ => { });
        spool.Add(Batch(1, final: false) with { Metrics = [new IngestMetric("42", "accuracy", 0.9, 3, null)] });
        for (var s = 2; s <= 5; s++) spool.Add(Batch(s, final: false));

        var pending = spool.Pending();
        Assert.Equal([1L, 5], pending.Select(p => p.Sequence));
        var kept = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(pending[0].Path), IngestJsonContext.Default.IngestBatch)!;
        Assert.Equal(0.9, Assert.Single(kept.Metrics!).Value);
        Assert.Empty(kept.Series);
    }

    [Fact]
    public void A_batch_of_an_earlier_agent_without_incarnation_is_still_read()
    {
        var spool = new Spool(_dir.Path, maxBatches: 1, _ => { });
        Directory.CreateDirectory(spool.Directory);
        File.WriteAllText(Path.Combine(spool.Directory, "000000000001.json"), """{"node":"n1","sequence":1,"jobs":[{"job_id_raw":"42","node":"n1","user":"ada","final":true,"as_of":"2026-01-01T00:00:00Z"}],"series":[]}""");
        spool.Add(Batch(2, final: false));
        Assert.Equal([1L, 2], spool.Pending().Select(p => p.Sequence));
        Assert.Equal(2, spool.HighestSequence());
    }

    public void Dispose() => _dir.Dispose();
}
