using System.Net;
using System.Text.Json.Nodes;
using Coca.Core.Accounting;
using Xunit.Abstractions;

namespace Coca.Server.Tests.Corpus;

/// <summary>
/// The malformed-ingest corpus: every body is answered 400 with a reason (no 500, no crash), and a good batch sent
/// after each one is applied, so that no good record is lost.
/// </summary>
public sealed class IngestCorpusTests(ITestOutputHelper output) : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting => [new() { JobIdRaw = "1", JobId = "1", User = "alice", Nodes = "n1" }];

    [Fact]
    public async Task Every_malformed_batch_is_a_400_with_its_reason_and_no_good_batch_is_lost()
    {
        var inputs = IngestCorpus.Bodies().Concat(IngestCorpus.Mutations().Select(m => (m.Name, Body: IngestCorpus.Mutate(m.Path, m.Value, m.Remove)))).ToList();
        int badRequests = 0, errors = 0, accepted = 0, goodApplied = 0;
        var unexpected = new List<string>();
        var sequence = 100L;
        foreach (var (name, body) in inputs)
        {
            var (status, reply) = await Post(N1, body);
            if (status == HttpStatusCode.BadRequest && reply.GetProperty("detail").GetString() is { Length: > 0 } detail && detail.Length < 600) badRequests++;
            else
            {
                unexpected.Add($"{name}: {(int)status}");
                if ((int)status >= 500) errors++;
                if (status == HttpStatusCode.OK) accepted++;
            }
            // A good batch after each bad one: applied, with its figures.
            sequence++;
            var good = JsonNode.Parse(IngestCorpus.GoodBatch)!;
            good["sequence"] = sequence;
            good["jobs"]![0]!["energy_uj"] = new JsonArray(0, 0, sequence, 0);
            good["jobs"]![0]!["as_of"] = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero).AddSeconds(sequence).ToString("O");
            var (goodStatus, goodReply) = await Post(N1, good.ToJsonString());
            if (goodStatus == HttpStatusCode.OK && goodReply.GetProperty("applied").GetBoolean() && goodReply.GetProperty("refused").GetArrayLength() == 0) goodApplied++;
        }
        var (_, job) = await Get(Admin, "api/v1/jobs/1");
        var lost = inputs.Count - goodApplied;
        output.WriteLine($"ingest corpus: {inputs.Count} malformed inputs, {badRequests} answered 400, {errors} HTTP 5xx, {accepted} accepted, {lost} good batches lost");
        Assert.True(inputs.Count >= 60, $"only {inputs.Count} inputs");
        Assert.Empty(unexpected);
        Assert.Equal((0, 0), (errors, lost));
        Assert.Equal(sequence / 1e6, job.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 12);
    }

    [Fact]
    public async Task A_400_names_the_field_and_the_rule()
    {
        var (status, reply) = await Post(N1, IngestCorpus.Mutate("jobs.0.energy_uj", new JsonArray(1, 2), remove: false));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("jobs[0].energy_uj: required, 4 integers", reply.GetProperty("detail").GetString());
        (status, reply) = await Post(N1, IngestCorpus.Mutate("sequence", null, remove: true));
        Assert.Equal((HttpStatusCode.BadRequest, "sequence: required, an integer"), (status, reply.GetProperty("detail").GetString()));
        (status, reply) = await Post(N1, IngestCorpus.Mutate("jobs.0.provenance", new JsonArray("measured", "guessed", "none", "none"), remove: false));
        Assert.Contains("measured, derived, estimated, none", reply.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_ingest_body_and_reply()
    {
        var openapi = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync("openapi/v1.json")).RootElement;
        var post = openapi.GetProperty("paths").GetProperty("/api/v1/ingest").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("400", out _));
        var text = openapi.GetRawText();
        foreach (var field in new[] { "\"sequence\"", "\"energy_uj\"", "\"provenance\"", "\"as_of\"", "\"refused\"" }) Assert.Contains(field, text, StringComparison.Ordinal);
    }
}
