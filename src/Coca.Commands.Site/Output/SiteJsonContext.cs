using System.Text.Json.Serialization;
using Coca.Core.Analysis;

namespace Coca.Commands.Site.Output;

// The JSON the site's commands print, as named types (snake_case by the options): source-generated, so that the
// full edition publishes NativeAOT (reflection over anonymous objects is not available there).

internal sealed record DeliveryJson(string User, string Channel, string Kind, DateTimeOffset SentAt, string? JobId, string? Period,
    IReadOnlyList<string> Findings, string? Experiment, string? Arm, string? Target);

internal sealed record FeedbackLogJson(IReadOnlyList<DeliveryJson> Deliveries);

internal sealed record DigestSentJson(string User, string To, IReadOnlyList<string> Findings);

internal sealed record DigestSkippedJson(string User, string Reason);

internal sealed record DigestRunJson(DateTimeOffset Since, DateTimeOffset Until, bool DryRun, IReadOnlyList<DigestSentJson> Sent, IReadOnlyList<DigestSkippedJson> Skipped);

internal sealed record ReceptivenessArmJson(int Users, int ActiveBefore, int ActiveAfter, IReadOnlyDictionary<string, double?> Before, IReadOnlyDictionary<string, double?> After);

internal sealed record ReceptivenessJson(string Experiment, DateTimeOffset Start, DateTimeOffset[] Before, DateTimeOffset[] After, int Resamples, long Seed,
    IReadOnlyDictionary<string, ReceptivenessArmJson> Groups, IReadOnlyDictionary<string, Effect> Effects);

[JsonSerializable(typeof(StudyResult))]
[JsonSerializable(typeof(FeedbackLogJson))]
[JsonSerializable(typeof(DigestRunJson))]
[JsonSerializable(typeof(ReceptivenessJson))]
internal sealed partial class SiteJsonContext : JsonSerializerContext
{
    /// <summary>snake_case, indented, relaxed escaping, as every Coca4ai output.</summary>
    public static SiteJsonContext Relaxed { get; } = new(Coca.Core.Json.JsonDefaults.Relaxed());
}
