using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server;

/// <summary>Who is calling, from the bearer token. The token itself never reaches a log.</summary>
internal static class Caller
{
    public static TokenInfo? Identify(HttpContext http, IJobStore store, ILogger logger, out IResult? refusal)
    {
        refusal = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            logger.LogWarning("401 {Method} {Path} from {Remote}: no bearer token", http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress);
            refusal = Results.Problem("a bearer token is required (coca token issue)", statusCode: StatusCodes.Status401Unauthorized);
            return null;
        }
        var token = store.Authenticate(header["Bearer ".Length..].Trim());
        if (token is null)
        {
            logger.LogWarning("401 {Method} {Path} from {Remote}: unknown or revoked token", http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress);
            refusal = Results.Problem("unknown or revoked token", statusCode: StatusCodes.Status401Unauthorized);
        }
        return token;
    }

    public static IResult Forbidden(HttpContext http, ILogger logger, TokenInfo token, string why)
    {
        logger.LogWarning("403 {Method} {Path} for {Role} {Subject}: {Why}", http.Request.Method, http.Request.Path, token.Role, token.Subject, why);
        return Results.Problem(why, statusCode: StatusCodes.Status403Forbidden);
    }
}
