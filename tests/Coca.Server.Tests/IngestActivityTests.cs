using System.Net;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Microsoft.Data.Sqlite;

namespace Coca.Server.Tests;

/// <summary>Issue 13's agent figures over the ingest API: sent by new agents, absent from old agents' batches.</summary>
public sealed class IngestActivityTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting =>
        [new() { JobIdRaw = "1", JobId = "1", User = "alice", Nodes = "n1" }, new() { JobIdRaw = "2", JobId = "2", User = "alice", Nodes = "n1" }];

    private object?[] Row(string job)
    {
        using var connection = new SqliteConnection("Data Source=" + Store["sqlite:".Length..]);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT unused_gpus, unused_gpu_uj, framework, interactive FROM jobs WHERE job_id_raw = '{job}'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return [.. Enumerable.Range(0, 4).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))];
    }

    [Fact]
    public async Task A_new_agents_unused_gpus_framework_and_interactive_are_stored_with_the_job()
    {
        var batch = new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000) with { UnusedGpus = 1, UnusedGpuUj = 2_000_000, Framework = "pytorch", Interactive = false }], []);
        var (status, reply) = await Post(N1, Json(batch));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(reply.GetProperty("applied").GetBoolean());
        Assert.Equal([1L, 2_000_000L, "pytorch", 0L], Row("1"));
    }

    [Fact]
    public async Task An_old_agents_batch_without_them_is_applied_and_they_stay_unknown()
    {
        const string old = """
            {"node":"n1","sequence":1,"jobs":[{"job_id_raw":"2","node":"n1","user":"alice","start":"2026-03-01T08:00:00Z","end":null,
              "energy_uj":[1,2,3,4],"provenance":["measured","estimated","measured","none"],"coverage":1,"gpu_seconds":10,"gpu_busy_seconds":5,
              "idle_gpu_seconds":0,"last_gpu_activity":null,"energy_after_last_gpu_activity_uj":0,"final":false,"as_of":"2026-03-01T08:00:00Z"}],
             "series":[]}
            """;
        var (status, reply) = await Post(N1, old);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(reply.GetProperty("applied").GetBoolean());
        Assert.Equal([null, null, null, null], Row("2"));
    }

    [Fact]
    public async Task Others_charge_and_the_node_meters_account_are_stored_and_a_bad_one_is_refused_with_its_reason()
    {
        var charge = new Core.Attribution.OtherCharge("cores", "node:wattmeter");
        var batch = new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000) with { OtherCharge = charge }], [])
        {
            NodeMeter = new NodeMeterTotals("node:wattmeter", 1_000_000_000, 840_000_000, T0.AddMinutes(5)),
        };
        var (status, _) = await Post(N1, Json(batch));
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, job) = await Get(Admin, "api/v1/jobs/1");
        Assert.Equal("cores", job.GetProperty("other_charge").GetProperty("rule").GetString());
        Assert.Equal("measured", job.GetProperty("other_charge").GetProperty("basis").GetString());
        using (var page = new HttpRequestMessage(HttpMethod.Get, "jobs/1"))
        {
            page.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Admin);
            using var response = await Http.SendAsync(page);
            Assert.Contains("charged by the cores rule, from node:wattmeter (measured by the node&#39;s meter)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var store = Coca.Storage.JobStores.Open(Store, Coca.Core.Carbon.CarbonInputs.Resolve(null, 100, 1.5)))
        {
            var sum = Assert.Single(store.NodeMeterSums(null, null));
            Assert.Equal(("n1", 1_000.0, 840.0), (sum.Node, sum.MeterJ, sum.ComponentsJ));
        }
        var bad = Json(new IngestBatch("n1", 2, [Measured("2", "n1", 5) with { OtherCharge = charge with { Rule = "half" } }], []));
        (status, var reply) = await Post(N1, bad);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("jobs[0].other_charge.rule", reply.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var negative = Json(new IngestBatch("n1", 3, [], []) { NodeMeter = new NodeMeterTotals("node:wattmeter", -1, 0, T0) });
        (status, reply) = await Post(N1, negative);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("node_meter.meter_uj", reply.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
