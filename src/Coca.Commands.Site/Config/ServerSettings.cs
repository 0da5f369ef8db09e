using Coca.Commands.Node;
using Coca.Commands.Node.Config;

namespace Coca.Commands.Site.Config;

/// <summary><c>[server]</c>: <c>coca server</c>'s settings and their defaults, written here and nowhere else.</summary>
public static class ServerSettings
{
    public const string Section = "server";

    /// <summary>Named server_listen (env COCA_SERVER_LISTEN) since before settings had sections: the agent's listen was COCA_LISTEN.</summary>
    public static readonly TextSetting Listen = new(Section, "server_listen", "http://127.0.0.1:8080");

    /// <summary>Days of per-GPU series; job totals are kept for ever.</summary>
    public static readonly NumberSetting SeriesRetention = new(Section, "series_retention", 30) { Range = new(0, 36500, "days") };

    /// <summary>Hours a dashboard session lasts once its login link is redeemed.</summary>
    public static readonly NumberSetting SessionHours = new(Section, "session_hours", 12) { Range = new(0.01, 8760, "hours") };

    /// <summary>The header a reverse proxy in front (the site's SSO) names the signed-in user in; read only from <see cref="TrustedProxies"/>.</summary>
    public static readonly TextSetting TrustedUserHeader = new(Section, "trusted_user_header", DefaultDescription: "none: only login links sign in");

    /// <summary>The proxies' IP addresses, comma-separated, whose <see cref="TrustedUserHeader"/> is believed.</summary>
    public static readonly TextSetting TrustedProxies = new(Section, "trusted_proxies", DefaultDescription: "none");

    /// <summary>The dashboard's address as users reach it (behind the site's proxy), for links in mail; none: no links.</summary>
    public static readonly TextSetting PublicUrl = new(Section, "public_url", DefaultDescription: "none: no links to the dashboard");

    public static IReadOnlyList<Setting> All { get; } = [Listen, SeriesRetention, SessionHours, TrustedUserHeader, TrustedProxies, PublicUrl];

    /// <summary><see cref="PublicUrl"/> without its trailing slash; a value that is not an absolute http(s) URL is a usage error.</summary>
    public static string? PublicBase(CocaSettings settings)
    {
        if (settings.String(PublicUrl, null) is not { Length: > 0 } text) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? text.TrimEnd('/')
            : throw new UsageException($"[server] public_url '{text}' is not an absolute http(s) URL without a query (e.g. https://coca.example.org)");
    }
}
