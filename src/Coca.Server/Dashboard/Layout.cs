using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coca.Server.Dashboard;

/// <summary>
/// The frame of every page: inline style (light and dark follow the system), the navigation, the sign-out form with its
/// CSRF token. Nothing is loaded from anywhere but this server, and no script runs (the policy header says so too).
/// </summary>
internal static class Layout
{
    // Contrast: text and links are at least 4.5:1 on their background in both schemes.
    private const string Style = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#555;--line:#ccc;--accent:#0b5cad;--card:#f4f6f8;--bad:#a4161a}
        @media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e8e8e8;--muted:#b0b0b0;--line:#444;--accent:#7cb8ff;--card:#1f242a;--bad:#ff8a8a}}
        body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif;margin:0}
        header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;padding:.6rem 1rem;border-bottom:1px solid var(--line)}
        header nav a{margin-right:.9rem}
        a{color:var(--accent)} a:focus,button:focus,input:focus,select:focus{outline:3px solid var(--accent);outline-offset:2px}
        main{padding:1rem;max-width:1200px}
        table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-variant-numeric:tabular-nums}
        caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
        .cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{background:var(--card);padding:.6rem .9rem;border-radius:6px;min-width:11rem}
        .card b{display:block;font-size:1.35rem}.muted,.unknown{color:var(--muted)}.unknown{font-style:italic}
        .bad{color:var(--bad)} form.inline{display:inline} label{margin-right:.6rem}
        svg{max-width:100%;height:auto;color:var(--fg)} svg text{fill:currentColor;font:12px system-ui,sans-serif}
        .s0{stroke:#1f77b4}.s1{stroke:#d62728}.s2{stroke:#2ca02c}.s3{stroke:#9467bd}.s4{stroke:#ff7f0e}.s5{stroke:#17becf}.s6{stroke:#8c564b}.s7{stroke:#e377c2}
        .f0{fill:#1f77b4}.f1{fill:#d62728}
        @media (prefers-color-scheme:dark){.s0{stroke:#6fb1ff}.s1{stroke:#ff7b7b}.s2{stroke:#6ee06e}.s3{stroke:#c9a6ff}.f0{fill:#6fb1ff}.f1{fill:#ff7b7b}}
        """;

    public static IResult Page(HttpContext http, Viewer viewer, string title, string body, int status = 200)
    {
        var b = new StringBuilder(body.Length + 4096);
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>").Append(Html.E(title)).Append(" — Coca4ai</title><style>").Append(Style).Append("</style></head><body><header>")
            .Append("<strong>Coca4ai</strong><nav aria-label=\"main\"><a href=\"/\">Overview</a><a href=\"/jobs\">Jobs</a><a href=\"/behaviours\">Behaviours</a><a href=\"/trends\">Trends</a>");
        if (viewer.IsAdmin) b.Append("<a href=\"/users\">Users</a>");
        b.Append("</nav><span class=\"muted\">").Append(Html.E(viewer.Subject)).Append(Html.E(viewer.Reach)).Append("</span>");
        if (viewer.Csrf is not null)
        {
            b.Append("<form class=\"inline\" method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .Append(Html.E(viewer.Csrf)).Append("\"><button type=\"submit\">Sign out</button></form>");
        }
        b.Append("</header><main><h1>").Append(Html.E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return Respond(http, b.ToString(), status);
    }

    /// <summary>A page for someone not signed in, or refused: no navigation, one sentence.</summary>
    public static IResult Bare(HttpContext http, string title, string sentence, int status) =>
        Respond(http, $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Html.E(title)} — Coca4ai</title><style>{Style}</style></head>" +
            $"<body><main><h1>{Html.E(title)}</h1><p>{sentence}</p></main></body></html>", status);

    private static IResult Respond(HttpContext http, string html, int status)
    {
        Secure(http.Response);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
    }
}
