using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// A login link (<c>/login?token=…</c>, from <c>coca token login-url</c>) redeemed once for a session cookie: HttpOnly
/// (no script reads it), SameSite=Strict (no other site's page sends it), Secure over HTTPS, gone when the session
/// ends. Signing out is a POST carrying the session's CSRF token.
/// </summary>
internal static class SignIn
{
    public static IResult Redeem(HttpContext http, Func<IJobStore> open, ServerOptions options, ILogger logger, string? token)
    {
        using var store = open();
        var session = token is { Length: > 0 and < 256 } ? store.RedeemLogin(token, options.SessionLifetime) : null;
        if (session is null)
        {
            logger.LogWarning("401 /login from {Remote}: unknown, used or expired link", http.Connection.RemoteIpAddress);
            return Layout.Bare(http, "Sign-in link refused", "This sign-in link is unknown, already used or expired. Ask for a new one: <code>coca token login-url --user NAME</code>.", 401);
        }
        logger.LogInformation("signed in {Role} {Subject} until {Expires:o}", session.Role, session.Subject, session.Expires);
        http.Response.Cookies.Append(Viewer.Cookie, session.Secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            Expires = session.Expires,
        });
        Layout.Secure(http.Response);
        return Results.Redirect("/");
    }

    public static async Task<IResult> SignOut(HttpContext http, Func<IJobStore> open, ServerOptions options, ILogger logger)
    {
        if (!http.Request.HasFormContentType) return Layout.Bare(http, "Bad request", "Sign out with the page's button.", 400);
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        using var store = open();
        var viewer = Viewer.Of(http, store, options, logger);
        if (viewer?.SessionSecret is null) return Layout.Bare(http, "Signed out", "You were not signed in. <a href=\"/\">Overview</a>", 200);
        if (!viewer.CsrfMatches(form["csrf"].ToString()))
        {
            logger.LogWarning("403 /logout for {Subject}: missing or wrong CSRF token", viewer.Subject);
            return Layout.Bare(http, "Refused", "This form did not come from this site's page.", 403);
        }
        store.EndWebSession(viewer.SessionSecret);
        http.Response.Cookies.Delete(Viewer.Cookie, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
        return Layout.Bare(http, "Signed out", "You are signed out. A new sign-in link signs you in again.", 200);
    }
}
