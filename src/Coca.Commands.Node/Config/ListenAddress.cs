using System.Globalization;
using System.Net;

namespace Coca.Commands.Node.Config;

/// <summary>The two forms of <c>--listen</c>: the agent's <c>ADDRESS:PORT</c> and the server's URL, checked before anything binds.</summary>
public static class ListenAddress
{
    /// <summary><c>127.0.0.1:9464</c>, <c>[::1]:9464</c>, <c>*:9464</c>, <c>localhost:9464</c>; else a one-line usage error.</summary>
    public static string HostPort(string value, string name = "--listen")
    {
        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon].Trim('[', ']') : "";
        var portText = colon > 0 ? value[(colon + 1)..] : "";
        var hostOk = host is "*" or "localhost" || IPAddress.TryParse(host, out _);
        if (hostOk && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535) return value;
        var hint = value.Contains("://", StringComparison.Ordinal) ? " (the agent takes ADDRESS:PORT, not a URL)" : "";
        throw new UsageException($"{name} must be ADDRESS:PORT with an IP address, * or localhost and a port from 0 to 65535, e.g. 127.0.0.1:9464, got '{value}'{hint}");
    }

    /// <summary><c>http://127.0.0.1:8080</c>, <c>https://0.0.0.0:8443</c>; else a one-line usage error.</summary>
    public static string Url(string value, string name = "--listen")
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0)
        {
            return value;
        }
        var hint = Uri.TryCreate("http://" + value, UriKind.Absolute, out _) && !value.Contains("://", StringComparison.Ordinal) ? $" (did you mean http://{value}?)" : "";
        throw new UsageException($"{name} must be a URL such as http://127.0.0.1:8080, got '{value}'{hint}");
    }
}
