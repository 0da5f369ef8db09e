using System.Globalization;
using System.Text.Json;
using Coca.Agent.Tests.Jobs;
using Coca.Core.Ingest;
using Coca.Core.Metrics;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Tests.JobMetrics;

/// <summary>
/// Metrics a job's script left in the drop box (<c>state/metrics/JOBID.csv</c>) travel in the agent's batches: from a
/// file the job's user owns, never through a link, complete lines only, each line once across restarts.
/// </summary>
[Collection(NvmlCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JobMetricsDropBoxTests : IDisposable
{
    private static readonly DateTimeOffset Start = AgentFixture.Start;
    private readonly AgentFixture _f;
    private readonly JobMetricsFiles _files;

    public JobMetricsDropBoxTests(NvmlCollection.Library library)
    {
        _f = new AgentFixture(library.Fresh(), gpus: 1);
        _files = new JobMetricsFiles(_f.Dir.Combine("state"));
    }

    private static int MyUid => int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private AgentHost Agent() => _f.Agent(o =>
    {
        o.CheckpointInterval = TimeSpan.FromSeconds(5);
        o.HousekeepingInterval = TimeSpan.FromSeconds(2);
        o.PushInterval = TimeSpan.FromHours(1);
        o.Server = new Uri("http://127.0.0.1:9/"); // nobody there: the batches stay in the spool, where the test reads them
        o.Token = "t";
    });

    private void Prolog(string id, int uid) => _f.Prolog(id, "0", ("SLURM_JOB_UID", uid.ToString(CultureInfo.InvariantCulture)));

    private void Seconds(AgentHost agent, int n) => _f.Run(agent, n, watts: 1);

    private List<IngestMetric> Sent()
    {
        var spool = _f.Dir.Combine("state", "spool");
        if (!Directory.Exists(spool)) return [];
        return [.. Directory.GetFiles(spool, "*.json").Order(StringComparer.Ordinal)
            .SelectMany(f => JsonSerializer.Deserialize(File.ReadAllText(f), IngestJsonContext.Default.IngestBatch)!.Metrics ?? [])];
    }

    private static (string, string, double, long) Key(IngestMetric m) => (m.JobIdRaw, m.Name, m.Value, m.Step);

    [Fact]
    public void A_jobs_metrics_go_out_in_a_batch_and_a_partial_last_line_waits_for_its_newline()
    {
        Prolog("42", MyUid);
        using var agent = Agent();
        Seconds(agent, 3); // the drop box exists once the agent runs
        _files.Append("42", new MetricPoint("accuracy", 0.5, 1, Start));
        _files.Append("42", new MetricPoint("loss", 2.5, 1, null));
        File.AppendAllText(_files.PathOf("42"), "accuracy,0.75"); // being written
        Seconds(agent, 3);
        Assert.Equal([("42", "accuracy", 0.5, 1L), ("42", "loss", 2.5, 1L)], Sent().Select(Key));
        Assert.Equal(Start, Sent()[0].Time);

        File.AppendAllText(_files.PathOf("42"), "\n");
        Seconds(agent, 3);
        // No step given: stored at its line number (header, two lines, then this one), the same key however often it is read.
        Assert.Equal([("42", "accuracy", 0.5, 1L), ("42", "loss", 2.5, 1L), ("42", "accuracy", 0.75, 4L)], Sent().Select(Key));
    }

    [Fact]
    public void A_restarted_agent_goes_on_after_the_lines_it_sent()
    {
        Prolog("42", MyUid);
        using (var agent = Agent())
        {
            Seconds(agent, 2);
            _files.Append("42", new MetricPoint("accuracy", 0.5, 1, null));
            Seconds(agent, 3);
        }
        Assert.Single(Sent());
        _files.Append("42", new MetricPoint("accuracy", 0.6, 2, null));
        using (var agent = Agent()) Seconds(agent, 3);
        Assert.Equal([("42", "accuracy", 0.5, 1L), ("42", "accuracy", 0.6, 2L)], Sent().Select(Key));
    }

    [Fact]
    public void A_bad_line_is_one_log_line_and_the_good_ones_are_kept()
    {
        Prolog("42", MyUid);
        using var agent = Agent();
        Seconds(agent, 2);
        _files.Append("42", new MetricPoint("accuracy", 0.5, 1, null));
        File.AppendAllText(_files.PathOf("42"), "accuracy,NaN,2,\nacc uracy,1,3,\n");
        _files.Append("42", new MetricPoint("accuracy", 0.7, 4, null));
        Seconds(agent, 3);
        Assert.Equal([("42", "accuracy", 0.5, 1L), ("42", "accuracy", 0.7, 4L)], Sent().Select(Key));
        Assert.Single(_f.Log, l => l.Contains("42.csv:3:", StringComparison.Ordinal));
        Assert.Single(_f.Log, l => l.Contains("42.csv:4:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_not_owned_by_the_jobs_user_is_refused_once()
    {
        Prolog("42", MyUid + 4242);
        using var agent = Agent();
        Seconds(agent, 2);
        _files.Append("42", new MetricPoint("accuracy", 0.5, 1, null));
        Seconds(agent, 6);
        Assert.Empty(Sent());
        Assert.Single(_f.Log, l => l.Contains("42.csv refused: owned by uid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_symbolic_link_is_refused_and_not_followed()
    {
        Prolog("42", MyUid);
        using var agent = Agent();
        Seconds(agent, 2);
        var elsewhere = _f.Dir.Combine("elsewhere.csv");
        File.WriteAllText(elsewhere, "name,value,step,time\naccuracy,0.5,1,\n");
        File.CreateSymbolicLink(_files.PathOf("42"), elsewhere);
        Seconds(agent, 3);
        Assert.Empty(Sent());
        Assert.Single(_f.Log, l => l.Contains("symbolic link", StringComparison.Ordinal));
    }

    [Fact]
    public void Sampling_ticks_allocate_nothing_with_a_jobs_metrics_file_in_the_drop_box()
    {
        Prolog("42", MyUid);
        using var agent = Agent();
        Seconds(agent, 3);
        _files.Append("42", new MetricPoint("accuracy", 0.5, 1, null));
        Seconds(agent, 6);
        var measured = 0;
        for (var i = 0; i < 30; i++)
        {
            _f.Clock.Advance(TimeSpan.FromSeconds(1));
            var before = GC.GetAllocatedBytesForCurrentThread();
            agent.Tick();
            if (agent.LastTickWasHousekeeping || agent.LastTickWasCheckpoint) continue; // the metrics are read there
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            measured++;
        }
        Assert.True(measured >= 10, $"{measured} sampling ticks");
        Assert.Single(Sent());
    }

    [Fact]
    public void The_drop_box_is_1733_inside_a_traversable_state_directory()
    {
        using var agent = Agent();
        Seconds(agent, 1);
        Assert.Equal((UnixFileMode)Convert.ToInt32("1733", 8), File.GetUnixFileMode(_files.Directory));
        Assert.Equal((UnixFileMode)Convert.ToInt32("711", 8), File.GetUnixFileMode(_f.Dir.Combine("state")));
    }

    public void Dispose() => _f.Dispose();
}
