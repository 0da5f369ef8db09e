using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coca.Server.Tests;

/// <summary>The server on a loopback port with a SQLite store: authentication, visibility, idempotent ingest.</summary>
public sealed class ServerTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting =>
        [new AccountingJob { JobIdRaw = "1", JobId = "1", User = "alice", State = "COMPLETED" }, new AccountingJob { JobIdRaw = "2", JobId = "2", User = "bob", State = "FAILED" }];

    private HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is IngestBatch batch) request.Content = new StringContent(JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch), System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<HttpStatusCode> Status(HttpMethod method, string path, string? token, object? body = null) =>
        (await Http.SendAsync(Request(method, path, token, body))).StatusCode;

    private static IngestBatch Batch(string node, long sequence, long gpuUj, DateTimeOffset asOf) => new(node, sequence,
    [
        new JobMeasurement
        {
            JobIdRaw = "1", Node = node, User = "alice", EnergyOnWire = [0, 0, gpuUj, 0], ProvenanceOnWire = ["none", "none", "measured", "none"], AsOf = asOf, Final = true,
        },
    ], [new SeriesPoint("1", node, "gpu:GPU-a", asOf, gpuUj, 300, 0.9)]);

    [Fact]
    public async Task Missing_or_wrong_token_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(HttpMethod.Get, "api/v1/jobs", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(HttpMethod.Get, "api/v1/jobs", "coca_not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(HttpMethod.Post, "api/v1/ingest", null, Batch("n1", 1, 1, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task Users_see_only_their_own_jobs_andAdmins_see_all()
    {
        var alice = await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs", Alice));
        var jobs = JsonDocument.Parse(await alice.Content.ReadAsStringAsync()).RootElement.GetProperty("jobs");
        Assert.Equal(["1"], jobs.EnumerateArray().Select(j => j.GetProperty("job_id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, "api/v1/jobs?user=bob", Alice));
        Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, "api/v1/jobs/2", Alice)); // as a missing job: existence is not told
        Assert.Equal(HttpStatusCode.OK, await Status(HttpMethod.Get, "api/v1/jobs/2", Bob));
        Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, "api/v1/jobs/404", Admin));

        var all = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs", Admin))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, all.GetProperty("jobs").GetArrayLength());
        var users = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/users", Bob))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["bob"], users.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user").GetString()));
    }

    [Fact]
    public async Task A_user_summary_sums_only_that_users_jobs()
    {
        var alice = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs/summary", Alice))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, alice.GetProperty("total").GetProperty("jobs").GetInt64());
        Assert.Equal(["COMPLETED"], alice.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, "api/v1/jobs/summary?user=bob", Alice));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, "api/v1/jobs/summary", N1));
        var all = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs/summary", Admin))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, all.GetProperty("total").GetProperty("jobs").GetInt64());
    }

    [Fact]
    public async Task Agents_ingest_only_for_their_node_and_cannot_read()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "api/v1/ingest", N1, Batch("n2", 1, 5, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, "api/v1/ingest", Alice, Batch("n1", 1, 5, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, "api/v1/jobs", N1));
    }

    [Fact]
    public async Task A_replayed_batch_changes_nothing_and_an_older_one_does_not_win()
    {
        var t = DateTimeOffset.UtcNow;
        var first = await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, Batch("n1", 1, 9_000_000, t)));
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean());
        var replay = await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, Batch("n1", 1, 1, t.AddSeconds(5))));
        Assert.False((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean());
        await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, Batch("n1", 2, 2, t.AddSeconds(-5))));

        var job = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs/1", Alice))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(9.0, job.GetProperty("energy_j").GetProperty("gpu").GetDouble());
        Assert.Equal("COMPLETED", job.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_restarted_agents_batch_with_a_used_sequence_is_applied_under_its_new_incarnation()
    {
        var t = DateTimeOffset.UtcNow;
        var before = Batch("n1", 7, 1_000_000, t) with { Incarnation = "0123456789abcdef0123456789abcdef" };
        var after = Batch("n1", 7, 5_000_000, t.AddSeconds(5)) with { Incarnation = "fedcba9876543210fedcba9876543210" };
        var first = await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, before));
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean());
        var second = await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, after));
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean());
        var replay = await Http.SendAsync(Request(HttpMethod.Post, "api/v1/ingest", N1, after));
        Assert.False((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, await Status(HttpMethod.Post, "api/v1/ingest", N1, before with { Incarnation = "../x" }));

        var job = JsonDocument.Parse(await (await Http.SendAsync(Request(HttpMethod.Get, "api/v1/jobs/1", Alice))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(5.0, job.GetProperty("energy_j").GetProperty("gpu").GetDouble());
    }

    [Fact]
    public async Task Malformed_batch_is_400()
    {
        var request = Request(HttpMethod.Post, "api/v1/ingest", N1);
        request.Content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Health_and_openapi_need_no_token()
    {
        Assert.Equal("ok\n", await Http.GetStringAsync("health"));
        var openapi = JsonDocument.Parse(await Http.GetStringAsync("openapi/v1.json")).RootElement;
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/ingest", out _));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/jobs/{id}", out _));
    }

}
