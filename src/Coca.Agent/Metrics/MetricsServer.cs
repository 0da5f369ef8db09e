using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coca.Agent.Metrics;

/// <summary>
/// A minimal HTTP/1.1 responder for <c>GET /metrics</c> and <c>GET /health</c>: no web framework in the
/// agent, so that it starts fast and stays small. One request per connection.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string> _metrics;

    public MetricsServer(string listen, Func<string> metrics)
    {
        _metrics = metrics;
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"--listen must be ADDRESS:PORT, got '{listen}'");
        }
        var host = listen[..colon].Trim('[', ']');
        var address = host is "" or "*" or "0.0.0.0" ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        _listener = new TcpListener(address, port);
        _listener.Start();
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
    }

    public IPEndPoint Endpoint { get; }

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(client, cancellationToken), cancellationToken);
        }
    }

    // HTTP/1.1 keep-alive: Prometheus scrapes the same agent every few seconds over one connection.
    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                while (!cancellationToken.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    idle.CancelAfter(TimeSpan.FromMinutes(2));
                    var length = 0;
                    var end = -1;
                    while (length < buffer.Length)
                    {
                        var n = await stream.ReadAsync(buffer.AsMemory(length), idle.Token).ConfigureAwait(false);
                        if (n == 0) return;
                        length += n;
                        end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                        if (end >= 0) break;
                    }
                    if (end < 0) return; // a request larger than 8 KiB is not a scrape
                    var head = Encoding.ASCII.GetString(buffer, 0, end);
                    var requestLine = head.Split("\r\n")[0].Split(' ');
                    var close = head.Contains("Connection: close", StringComparison.OrdinalIgnoreCase) || (requestLine.Length > 2 && requestLine[2] == "HTTP/1.0");
                    var (status, body, type) = requestLine switch
                    {
                        ["GET", "/metrics", ..] => ("200 OK", _metrics(), PrometheusText.ContentType),
                        ["GET", "/health", ..] => ("200 OK", "ok\n", "text/plain; charset=utf-8"),
                        ["GET", ..] => ("404 Not Found", "not found: try /metrics\n", "text/plain; charset=utf-8"),
                        _ => ("405 Method Not Allowed", "only GET\n", "text/plain; charset=utf-8"),
                    };
                    var payload = Encoding.UTF8.GetBytes(body);
                    var header = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {payload.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
                    await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                    // Pipelined requests are not expected from Prometheus: bytes past this request end the connection.
                    if (close || end + 4 < length) return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    public void Dispose() => _listener.Stop();
}
