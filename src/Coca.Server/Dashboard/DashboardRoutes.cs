using Coca.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// The dashboard's routes: sign-in and out, the pages, and the job series (page CSV and API JSON). Every page finds its
/// viewer first; a user's pages read only that user's jobs, and another user's job is refused with 403.
/// </summary>
public static class DashboardRoutes
{
    public static void Map(WebApplication app, ServerOptions options, Func<IJobStore> open, ILogger logger)
    {
        app.MapGet("/login", (HttpContext http, string? token) => SignIn.Redeem(http, open, options, logger, token)).ExcludeFromDescription();
        app.MapPost("/logout", (Delegate)((HttpContext http) => SignIn.SignOut(http, open, options, logger))).ExcludeFromDescription();

        app.MapGet("/", (HttpContext http) => Page(http, open, options, logger, (v, s) => HomePage.Render(http, v, s, options))).ExcludeFromDescription();
        app.MapGet("/jobs", (HttpContext http) => Page(http, open, options, logger, (v, s) => JobsPage.Render(http, v, s))).ExcludeFromDescription();
        app.MapGet("/jobs/{id}", (HttpContext http, string id) => Page(http, open, options, logger, (v, s) => JobPage.Render(http, v, s, options, logger, id))).ExcludeFromDescription();
        app.MapGet("/jobs/{id}/series.csv", (HttpContext http, string id) => Page(http, open, options, logger, (v, s) => SeriesExport.Csv(http, v, s, logger, id))).ExcludeFromDescription();
        app.MapGet("/users", (HttpContext http) => Page(http, open, options, logger, (v, s) => UsersPage.Render(http, v, s, options, logger))).ExcludeFromDescription();
        app.MapGet("/behaviours", (HttpContext http) => Page(http, open, options, logger, (v, s) => BehavioursPage.Render(http, v, s, options))).ExcludeFromDescription();
        app.MapGet("/trends", (HttpContext http) => Page(http, open, options, logger, (v, s) => TrendsPage.Render(http, v, s, options))).ExcludeFromDescription();
        app.MapGet("/experiments/{name}", (HttpContext http, string name) => Page(http, open, options, logger, (v, s) => ExperimentPage.Render(http, v, s, options, logger, name))).ExcludeFromDescription();

        app.MapGet("/api/v1/jobs/{id}/series", (HttpContext http, string id) =>
        {
            using var store = open();
            if (Viewer.Of(http, store, options, logger) is not { } viewer)
            {
                return Results.Problem("a user or admin token (or a dashboard session) is required", statusCode: StatusCodes.Status401Unauthorized);
            }
            return SeriesExport.Json(http, viewer, store, logger, id);
        }).WithSummary("One job's stored series (per device: time, energy, power, utilisation), the job page's plot; a user sees only their own jobs (403 for another's).");
    }

    // Bad input on a page (a date, a tag) is a 400 with its reason, never a 500.
    private static IResult Page(HttpContext http, Func<IJobStore> open, ServerOptions options, ILogger logger, Func<Viewer, IJobStore, IResult> render)
    {
        using var store = open();
        if (Viewer.Of(http, store, options, logger) is not { } viewer)
        {
            return Layout.Bare(http, "Sign in", "You are not signed in. Ask for a sign-in link with <code>coca token login-url --user NAME</code>, or sign in through your site's portal.", 401);
        }
        try
        {
            return render(viewer, store);
        }
        catch (BadPageRequest e)
        {
            return Layout.Page(http, viewer, "Bad request", $"<p class=\"bad\">{Html.E(e.Message)}</p>", 400);
        }
    }
}

/// <summary>A page's parameter that cannot be read; its message is shown to the user as the 400's reason.</summary>
internal sealed class BadPageRequest(string message) : Exception(message);
