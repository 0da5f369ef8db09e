using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Coca.Core.Analysis;
using Coca.Storage;
using Microsoft.AspNetCore.Http;

namespace Coca.Server;

/// <summary>
/// <c>GET /api/v1/behaviours</c>: the same JSON as <c>coca behaviours --json</c>, written to the response as the
/// analysis goes (a year's findings are never held whole), from a buffer flushed asynchronously every 64 kB.
/// </summary>
internal static class BehavioursEndpoint
{
    private const int FlushBytes = 64 * 1024;

    /// <summary>A one-line reason when <c>kind</c> or <c>by</c> is not one the analysis knows; null when both are fine.</summary>
    public static string? Refusal(string? kind, string? by, out IReadOnlyCollection<string>? kinds)
    {
        kinds = null;
        if (kind is not null)
        {
            var list = kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length == 0 || list.Any(k => !BehaviourKind.IsKnown(k))) return "kind must be one or more of " + string.Join(", ", BehaviourKind.All);
            kinds = list;
        }
        if (by is null) return null;
        try
        {
            BehaviourAnalysis.GroupOf(by);
            return by.Length <= 64 ? null : "by is at most 64 characters";
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public static IResult Stream(Func<IJobStore> open, JobQuery query, ServerOptions options, IReadOnlyCollection<string>? kinds, string? by) =>
        Results.Stream(async body =>
        {
            using var store = open();
            var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
            await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var output = new BehavioursJson(json);
            output.Start(query.Since, query.Until);
            using var metrics = new MetricsLookup(open);
            var analysis = new BehaviourAnalysis(options.Behaviours, options.Carbon, output.Write, kinds, by, metrics.Of);
            foreach (var job in store.AnalysisJobs(query))
            {
                analysis.Add(job);
                if (json.BytesPending + buffer.WrittenCount < FlushBytes) continue;
                json.Flush();
                await body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
            output.End(analysis.Finish(), by, by is null ? null : analysis.Groups());
            await body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
        }, "application/json");
}
