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
}
