using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.Storage.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server;

/// <summary>
/// <c>POST /api/v1/ingest</c>: an agent's batch. Anything a node can send gets an answer with its reason, never a
/// 500: 400 for a batch that breaks the schema (<see cref="IngestSchema"/>), 403 for one about another node, and
/// 200 with the jobs the store refused (a job that did not run on the node, or another owner) and why.
/// </summary>
internal static class IngestEndpoint
{
    public static async Task<IResult> Handle(HttpContext http, Func<IJobStore> open, ILogger logger)
    {
        using var store = open();
        if (Caller.Identify(http, store, logger, out var refusal) is not { } token) return refusal!;
        if (token.Role != TokenRoles.Agent) return Caller.Forbidden(http, logger, token, "only agent tokens may ingest");
        IngestBatch? batch;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            if (IngestSchema.Problem(document.RootElement) is { } problem) return BadRequest(http, logger, token, problem);
            batch = document.RootElement.Deserialize(StoreJsonContext.Relaxed.IngestBatch);
        }
        catch (JsonException e)
        {
            return BadRequest(http, logger, token, $"malformed JSON: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            logger.LogWarning("{Status} {Path} for {Role} {Subject}: {Why}", e.StatusCode, http.Request.Path, token.Role, token.Subject, e.Message);
            return Results.Problem(e.Message, statusCode: e.StatusCode);
        }
        if (batch is null) return BadRequest(http, logger, token, "empty batch");
        if (batch.Node != token.Subject) return Caller.Forbidden(http, logger, token, $"token of node {token.Subject} cannot ingest for {batch.Node}");
        var series = batch.Series ?? [];
        if (batch.Jobs.Any(j => j.Node != batch.Node) || series.Any(p => p.Node != batch.Node))
        {
            return Caller.Forbidden(http, logger, token, "a batch may only carry its own node's figures");
        }
        IngestOutcome? outcome = null;
        List<IngestRefusal> metricsRefused = [];
        // Keyed by node and agent run (the batch's node is the token's): a restarted agent numbering from where its
        // books were is not a replay. The metrics go in the same transaction, keyed by job, name and step.
        var applied = store.TryRecordBatch(batch.SequenceKey, batch.Sequence, () =>
        {
            outcome = store.Ingest(token.Subject, batch.Jobs, series);
            var (metrics, refusedMetrics) = IngestMetrics.Split(batch, outcome);
            if (metrics.Count > 0) store.ImportMetrics(metrics);
            metricsRefused = refusedMetrics;
            if (batch.NodeMeter is { } meter) store.RecordNodeMeter(token.Subject, meter);
        });
        if (outcome is not null) outcome = outcome with { Refused = [.. outcome.Refused, .. metricsRefused] };
        foreach (var r in outcome?.Refused ?? [])
        {
            logger.LogWarning("refused job {Job} from node {Node} (batch {Sequence}): {Why}", r.JobIdRaw, token.Subject, batch.Sequence, r.Reason);
        }
        var refused = outcome?.Refused.Select(r => new IngestRefusalJson(r.JobIdRaw, r.Reason)).ToList() ?? [];
        return Results.Json(new IngestReply(applied, batch.Sequence) { Refused = refused }, ServerJsonContext.Default.IngestReply);
    }

    private static IResult BadRequest(HttpContext http, ILogger logger, TokenInfo token, string why)
    {
        logger.LogWarning("400 {Path} for {Role} {Subject}: {Why}", http.Request.Path, token.Role, token.Subject, why);
        return Results.Problem(why, statusCode: StatusCodes.Status400BadRequest);
    }
}

/// <summary>The server's answer to a batch: whether it was applied (false for a replay) and the jobs it refused.</summary>
public sealed record IngestReply(bool Applied, long Sequence)
{
    public IReadOnlyList<IngestRefusalJson> Refused { get; init; } = [];
}

public sealed record IngestRefusalJson(string JobIdRaw, string Reason);
