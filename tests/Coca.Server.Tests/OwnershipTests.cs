using System.Net;
using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Storage;

namespace Coca.Server.Tests;

/// <summary>A node token writes only its own node's figures of jobs that ran there, and never sets or changes an owner.</summary>
public sealed class OwnershipTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting =>
    [
        new() { JobIdRaw = "1", JobId = "1", User = "alice", Nodes = "n1", State = "COMPLETED" },
        new() { JobIdRaw = "3", JobId = "3", User = "alice", Nodes = "n[1-2]", State = "COMPLETED" },
    ];

    private static string[] Refused(JsonElement reply) => [.. reply.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("job_id_raw").GetString()!)];

    private async Task<double?> GpuJ(string job)
    {
        var (status, body) = await Get(Admin, $"api/v1/jobs/{job}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("energy_j").ValueKind == JsonValueKind.Null ? null : body.GetProperty("energy_j").GetProperty("gpu").GetDouble();
    }

    [Fact]
    public async Task A_node_cannot_write_figures_for_a_job_that_did_not_run_on_it()
    {
        var (status, reply) = await Post(N2, Json(new IngestBatch("n2", 1, [Measured("1", "n2", 9_000_000_000), Measured("3", "n2", 2_000_000)],
            [new SeriesPoint("1", "n2", "gpu:0", T0, 9_000_000_000, 300, 1)])));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["1"], Refused(reply));
        Assert.Null(await GpuJ("1"));
        Assert.Equal(2.0, await GpuJ("3"));
        using var store = JobStores.Open(Store);
        Assert.Empty(store.Series("1"));
    }

    [Fact]
    public async Task A_node_cannot_change_the_owner_that_accounting_gave_a_job()
    {
        var (_, reply) = await Post(N1, Json(new IngestBatch("n1", 1, [Measured("1", "n1", 5_000_000, user: "mallory")], [])));
        Assert.Equal(["1"], Refused(reply));
        var (_, job) = await Get(Admin, "api/v1/jobs/1");
        Assert.Equal("alice", job.GetProperty("user").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("energy_j").ValueKind);
    }

    [Fact]
    public async Task The_first_record_owns_a_job_accounting_has_not_seen_and_another_node_cannot_claim_it_for_someone_else()
    {
        Assert.Empty(Refused((await Post(N1, Json(new IngestBatch("n1", 1, [Measured("5", "n1", 1_000_000, user: "alice")], [])))).Body));
        Assert.Equal(["5"], Refused((await Post(N2, Json(new IngestBatch("n2", 1, [Measured("5", "n2", 7_000_000, user: "bob")], [])))).Body));
        Assert.Equal(["5"], Refused((await Post(N1, Json(new IngestBatch("n1", 2, [Measured("5", "n1", 1_000_000, user: "bob", asOf: T0.AddMinutes(1))], [])))).Body));
        var (_, job) = await Get(Admin, "api/v1/jobs/5");
        Assert.Equal(("alice", 1.0), (job.GetProperty("user").GetString(), job.GetProperty("energy_j").GetProperty("gpu").GetDouble()));
    }

    [Fact]
    public async Task Rows_from_a_node_that_accounting_does_not_list_stop_counting_when_accounting_arrives()
    {
        await Post(N1, Json(new IngestBatch("n1", 1, [Measured("6", "n1", 1_000_000)], [])));
        await Post(N2, Json(new IngestBatch("n2", 1, [Measured("6", "n2", 50_000_000)], [])));
        Assert.Equal(51.0, await GpuJ("6"));
        using (var store = JobStores.Open(Store)) store.UpsertAccounting([new AccountingJob { JobIdRaw = "6", JobId = "6", User = "alice", Nodes = "n1" }]);
        Assert.Equal(1.0, await GpuJ("6"));
    }

    [Fact]
    public async Task A_node_token_cannot_write_rows_for_a_node_named_in_the_payload()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(N2, Json(new IngestBatch("n1", 1, [Measured("1", "n1", 5)], [])))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(N2, Json(new IngestBatch("n2", 2, [Measured("3", "n1", 5)], [])))).Status);
        Assert.Null(await GpuJ("1"));
    }

    [Fact]
    public async Task Another_users_job_answers_exactly_as_a_missing_job()
    {
        var other = await Get(Bob, "api/v1/jobs/1");
        var missing = await Get(Bob, "api/v1/jobs/424242");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (other.Status, missing.Status));
        Assert.Equal(missing.Body.GetProperty("detail").GetString(), other.Body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Get(Alice, "api/v1/jobs/1")).Status);
    }

    [Theory]
    [InlineData("api/v1/jobs/..%2Fescaped", HttpStatusCode.NotFound)]
    [InlineData("api/v1/jobs/1%00", HttpStatusCode.BadRequest)] // Kestrel refuses a NUL in a path itself
    [InlineData("api/v1/jobs?user=al%00ice", HttpStatusCode.BadRequest)]
    [InlineData("api/v1/jobs/summary?state=%1B", HttpStatusCode.BadRequest)]
    public async Task Queries_with_ids_or_names_no_job_can_have_are_answered_without_a_500(string path, HttpStatusCode expected) =>
        Assert.Equal(expected, (await Get(Admin, path)).Status);
}
