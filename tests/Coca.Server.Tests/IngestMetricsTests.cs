using System.Net;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Storage;

namespace Coca.Server.Tests;

/// <summary>Job scripts' metrics over the ingest API: stored with the job the batch carries, once, and only for that node's jobs.</summary>
public sealed class IngestMetricsTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting =>
        [new() { JobIdRaw = "1", JobId = "1", User = "alice", Nodes = "n1" }, new() { JobIdRaw = "2", JobId = "2", User = "bob", Nodes = "n2" }];

    private IReadOnlyList<(string Job, long Step, double Value)> Stored(string name, params string[] jobs)
    {
        using var store = JobStores.Open(Store);
        return [.. store.Metrics(jobs, name).Select(m => (m.JobId, m.Point.Step ?? -1, m.Point.Value))];
    }

    [Fact]
    public async Task A_batch_with_metrics_fills_job_metrics_and_its_replay_changes_nothing()
    {
        var batch = new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000)], [], null,
            [new IngestMetric("1", "accuracy", 0.5, 1, T0), new IngestMetric("1", "accuracy", 0.75, 2, null), new IngestMetric("1", "loss", 1.25, 2, null)]);
        var (status, reply) = await Post(N1, Json(batch));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(reply.GetProperty("applied").GetBoolean());
        Assert.Equal([("1", 1L, 0.5), ("1", 2L, 0.75)], Stored("accuracy", "1"));
        Assert.Equal([("1", 2L, 1.25)], Stored("loss", "1"));

        var (again, replayed) = await Post(N1, Json(batch with { Metrics = [new IngestMetric("1", "accuracy", 0.99, 3, null)] }));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.False(replayed.GetProperty("applied").GetBoolean());
        Assert.Equal([("1", 1L, 0.5), ("1", 2L, 0.75)], Stored("accuracy", "1"));
    }

    [Fact]
    public async Task The_same_points_in_a_later_batch_are_stored_once()
    {
        IngestMetric[] points = [new("1", "accuracy", 0.5, 1, null), new("1", "accuracy", 0.75, 2, null)];
        await Post(N1, Json(new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000)], [], null, points)));
        var (status, reply) = await Post(N1, Json(new IngestBatch("n1", 2, [Measured("1", "n1", 6_000_000)], [], null, points)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(reply.GetProperty("applied").GetBoolean());
        Assert.Equal([("1", 1L, 0.5), ("1", 2L, 0.75)], Stored("accuracy", "1"));
    }

    [Fact]
    public async Task Metrics_of_a_job_the_batch_does_not_carry_or_that_ran_elsewhere_are_refused_and_the_others_kept()
    {
        var batch = new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000), Measured("2", "n1", 1_000_000, user: "bob")], [], null,
            [new IngestMetric("1", "accuracy", 0.5, 1, null), new IngestMetric("2", "accuracy", 0.9, 1, null), new IngestMetric("3", "accuracy", 0.1, 1, null)]);
        var (status, reply) = await Post(N1, Json(batch));
        Assert.Equal(HttpStatusCode.OK, status);
        var refused = reply.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("job_id_raw").GetString()).ToList();
        Assert.Contains("2", refused);
        Assert.Contains("3", refused);
        Assert.Equal([("1", 1L, 0.5)], Stored("accuracy", "1", "2", "3"));
    }

    [Theory]
    [InlineData("""{"job_id_raw":"1","name":"bad name","value":1,"step":0}""", "metrics[0].name")]
    [InlineData("""{"job_id_raw":"1","name":"acc","value":"NaN","step":0}""", "metrics[0].value")]
    [InlineData("""{"job_id_raw":"1","name":"acc","value":1,"step":-1}""", "metrics[0].step")]
    [InlineData("""{"job_id_raw":"1","name":"acc","value":1}""", "metrics[0].step")]
    [InlineData("""{"job_id_raw":"../1","name":"acc","value":1,"step":0}""", "metrics[0].job_id_raw")]
    public async Task A_bad_metric_is_a_400_naming_it(string metric, string path)
    {
        var body = """{"node":"n1","sequence":1,"jobs":[],"metrics":[""" + metric + "]}";
        var (status, reply) = await Post(N1, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(path, reply.GetProperty("detail").GetString());
    }
}
