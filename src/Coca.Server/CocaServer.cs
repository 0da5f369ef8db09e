using Coca.Core.Ingest;
using System.Globalization;
using System.Text.Json;
using Coca.Storage;
using Coca.Storage.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coca.Server;

/// <summary>
/// <c>coca server</c>: agents push their jobs' figures (each agent with its own token), users and admins
/// query jobs (users see only their own). Stateless: several instances can share one PostgreSQL store.
/// </summary>
public static class CocaServer
{
    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        using (var store = JobStores.Open(options.Store, options.Carbon)) store.Migrate();

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBatchBytes);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; c.UseUtcTimestamp = true; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, StoreJsonContext.Relaxed);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, ServerJsonContext.Default);
            // The OpenAPI document names properties by this policy: snake_case, as the wire is.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.AddOpenApi();
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("coca.server");
        IJobStore Store() => JobStores.Open(options.Store, options.Carbon);

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", () => Results.Text("ok\n")).WithSummary("Liveness: 200 ok while the server runs.");

        app.MapPost("/api/v1/ingest", (Delegate)((HttpContext http) => IngestEndpoint.Handle(http, Store, logger)))
            .Accepts<IngestBatch>("application/json")
            .Produces<IngestReply>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("An agent's batch of job figures and series points; a replayed sequence number changes nothing.")
            .WithDescription("Schema: README, section Ingest API. 400 with the reason for a batch that breaks it; 200 lists the jobs refused " +
                "(did not run on the token's node, or another owner) in `refused`.");

        app.MapGet("/api/v1/jobs", (HttpContext http, string? user, string? account, string? state, string? since, string? until, int? limit) =>
        {
            using var store = Store();
            if (ReadableQuery(http, store, logger, user, account, state, since, until, Math.Clamp(limit ?? 10_000, 1, 100_000), out var query) is { } refusal) return refusal;
            var rows = store.Jobs(query);
            return Results.Json(new JobsJson(rows.Select(r => JobJson.From(r).With(r, options.Embodied)).ToList()), StoreJsonContext.Relaxed.JobsJson);
        }).WithSummary("Jobs, filtered; a user's token sees only that user's jobs.");

        app.MapGet("/api/v1/jobs/summary", (HttpContext http, string? user, string? account, string? state, string? since, string? until) =>
        {
            using var store = Store();
            if (ReadableQuery(http, store, logger, user, account, state, since, until, limit: 0, out var query) is { } refusal) return refusal;
            return Results.Json(store.Summary(query), StoreJsonContext.Relaxed.JobSummary);
        }).WithSummary("The selected jobs' totals by month and by state; a user's token sums only that user's jobs.");

        app.MapGet("/api/v1/jobs/{id}", (HttpContext http, string id) =>
        {
            using var store = Store();
            if (Caller.Identify(http, store, logger, out var refusal) is not { } token) return refusal!;
            if (token.Role == TokenRoles.Agent) return Caller.Forbidden(http, logger, token, "agent tokens cannot read jobs");
            // An id Slurm would not print names no job (and a NUL would trouble PostgreSQL): answered as a missing one.
            var job = Coca.Core.Jobs.JobId.IsValid(id) ? store.Job(id) : null;
            // Another user's job answers as a missing one: the answer must not tell whether that id exists.
            if (job is null || (token.Role == TokenRoles.User && job.User != token.Subject))
            {
                if (job is not null) logger.LogWarning("404 {Path} for {Role} {Subject}: another user's job", http.Request.Path, token.Role, token.Subject);
                return Results.Problem("no such job among those you may see", statusCode: 404);
            }
            return Results.Json(JobJson.From(job).With(job, options.Embodied, store.CarbonMethod(job.JobIdRaw)), StoreJsonContext.Relaxed.JobJson);
        }).WithSummary("One job.");

        app.MapGet("/api/v1/behaviours", (HttpContext http, string? user, string? since, string? until, string? kind, string? by) =>
        {
            using var store = Store();
            if (ReadableQuery(http, store, logger, user, null, null, since, until, limit: 0, out var query) is { } refusal) return refusal;
            if (BehavioursEndpoint.Refusal(kind, by, out var kinds) is { } bad) return Results.Problem(bad, statusCode: 400);
            return BehavioursEndpoint.Stream(Store, query, options, kinds, by);
        }).WithSummary("The behaviours that wasted energy in the selected jobs (coca behaviours --json); a user's token sees only that user's.");

        app.MapGet("/api/v1/users", (HttpContext http, string? since) =>
        {
            using var store = Store();
            if (Caller.Identify(http, store, logger, out var refusal) is not { } token) return refusal!;
            if (token.Role == TokenRoles.Agent) return Caller.Forbidden(http, logger, token, "agent tokens cannot read users");
            if (!TryDate(since, out var from)) return Results.Problem("since must be an ISO 8601 date", statusCode: 400);
            var rows = store.Users(from).Where(u => token.Role == TokenRoles.Admin || u.User == token.Subject)
                .Select(u => UserJson.From(u).With(options.Embodied)).ToList();
            return Results.Json(new UsersJson(rows), StoreJsonContext.Relaxed.UsersJson);
        }).WithSummary("Per-user totals; a user's token sees only that user.");

        Dashboard.DashboardRoutes.Map(app, options, Store, logger);

        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        _ = PruneSeriesAsync(options, Store, logger, lifetime.ApplicationStopping);
        logger.LogInformation("coca server on {Listen}, store {Store}, series kept {Days} days", options.Listen, JobStores.Redact(options.Store), options.SeriesRetention.TotalDays);
        return app;
    }

    /// <summary><c>[server] trusted_proxies</c> read: IP addresses, comma-separated; anything else is an <see cref="ArgumentException"/>.</summary>
    public static IReadOnlyList<System.Net.IPAddress> ParseProxies(string? text) => Dashboard.Viewer.ParseProxies(text);

    // Hourly, on every instance: the DELETE is idempotent, so several servers pruning at once do no harm.
    private static async Task PruneSeriesAsync(ServerOptions options, Func<IJobStore> open, ILogger logger, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                using var store = open();
                var pruned = store.PruneSeries(DateTimeOffset.UtcNow - options.SeriesRetention);
                if (pruned > 0) logger.LogInformation("pruned {Count} series points older than {Days} days", pruned, options.SeriesRetention.TotalDays);
            }
            catch (System.Data.Common.DbException e)
            {
                logger.LogWarning("series pruning failed: {Message}", e.Message);
            }
        }
        while (await WaitAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Who may ask for which jobs: agents not at all, users only their own (their name fills in when they give none), admins any.
    private static IResult? ReadableQuery(HttpContext http, IJobStore store, ILogger logger, string? user, string? account, string? state,
        string? since, string? until, int limit, out JobQuery query)
    {
        query = new JobQuery();
        if (Caller.Identify(http, store, logger, out var refusal) is not { } token) return refusal!;
        if (token.Role == TokenRoles.Agent) return Caller.Forbidden(http, logger, token, "agent tokens cannot read jobs");
        if (token.Role == TokenRoles.User)
        {
            if (user is not null && user != token.Subject) return Caller.Forbidden(http, logger, token, "users see only their own jobs");
            user = token.Subject;
        }
        if (!TryDate(since, out var from) || !TryDate(until, out var to)) return Results.Problem("since/until must be ISO 8601 dates", statusCode: 400);
        if (new[] { user, account, state }.Any(v => v is not null && (v.Length > 256 || v.Any(char.IsControl))))
        {
            return Results.Problem("user, account and state are at most 256 characters, without control characters", statusCode: 400);
        }
        query = new JobQuery(user, account, state, from, to, limit);
        return null;
    }

    private static bool TryDate(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return false;
        value = d;
        return true;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IngestReply))]
[System.Text.Json.Serialization.JsonSerializable(typeof(IngestRefusalJson))]
internal sealed partial class ServerJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
