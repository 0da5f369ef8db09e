using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Coca.Agent.Metrics;

/// <summary>
/// A minimal HTTP/1.1 responder for <c>GET /metrics</c> and <c>GET /health</c>: no web framework in the agent,
/// so that it starts fast and stays small. Each connection is served on a thread of its own with blocking
/// socket calls: Prometheus keeps one connection per agent and scrapes it every few seconds, and a thread
/// asleep in recv() costs nothing, where an async read wakes the thread pool and its spinning workers.
/// A connection's buffers are kept from request to request: a scrape allocates nothing.
/// Access follows a <see cref="WebConfig"/>: TLS and basic-auth users as Prometheus' web.config.yml; without users,
/// /metrics is served to anyone who can connect, at the coarse resolution of <see cref="CoarseEnergy"/>.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private const int MaxConnections = 32;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(2);

    private readonly TcpListener _listener;
    private readonly Action<ByteBuffer> _metrics;
    private readonly BasicAuth _auth;
    private readonly X509Certificate2? _certificate;
    private int _connections;

    /// <param name="metrics">Appends the metrics page to the buffer it is given.</param>
    /// <param name="web">Who may read what, over what; null: plain HTTP with the coarse page.</param>
    public MetricsServer(string listen, Action<ByteBuffer> metrics, WebConfig? web = null)
    {
        _metrics = metrics;
        web ??= WebConfig.None;
        _auth = new BasicAuth(web.Users);
        _certificate = web.Tls ? WebConfigFile.LoadCertificate(web) : null;
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

    /// <summary>Accepts connections until cancelled; the task ends when the listener has stopped.</summary>
    public Task ServeAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(_listener.Stop);
        var accepting = new Thread(() =>
        {
            try
            {
                AcceptLoop();
            }
            finally
            {
                registration.Dispose();
                stopped.TrySetResult();
            }
        }) { IsBackground = true, Name = "coca-metrics" };
        accepting.Start();
        return stopped.Task;
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                socket.Dispose(); // a scraper does not open dozens of connections: refuse rather than grow
                continue;
            }
            new Thread(() => Serve(socket)) { IsBackground = true, Name = "coca-metrics-conn" }.Start();
        }
    }

    // HTTP/1.1 keep-alive: Prometheus scrapes the same agent every few seconds over one connection.
    private void Serve(Socket socket)
    {
        try
        {
            using (socket)
            {
                socket.ReceiveTimeout = (int)IdleTimeout.TotalMilliseconds;
                socket.SendTimeout = (int)IdleTimeout.TotalMilliseconds;
                socket.NoDelay = true;
                using var network = new NetworkStream(socket, ownsSocket: false);
                using var tls = _certificate is null ? null : new SslStream(network, leaveInnerStreamOpen: true);
                tls?.AuthenticateAsServer(new SslServerAuthenticationOptions { ServerCertificate = _certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
                Stream stream = tls is null ? network : tls;
                var request = new byte[8192];
                var response = new ByteBuffer();
                while (true)
                {
                    var length = 0;
                    var end = -1;
                    while (length < request.Length)
                    {
                        var n = stream.Read(request, length, request.Length - length);
                        if (n == 0) return;
                        length += n;
                        end = request.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                        if (end >= 0) break;
                    }
                    if (end < 0) return; // a request larger than 8 KiB is not a scrape
                    var close = Respond(request.AsSpan(0, end), response);
                    stream.Write(response.Written);
                    // Pipelined requests are not expected from Prometheus: bytes past this request end the connection.
                    if (close || end + 4 < length) return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or AuthenticationException)
        {
            // the scraper went away, stayed idle past the timeout, or failed the TLS handshake
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Writes the response for the request head into the buffer; true when the connection must close after it.</summary>
    private bool Respond(ReadOnlySpan<byte> head, ByteBuffer response)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        var close = requestLine.EndsWith(" HTTP/1.0"u8) || ClosesConnection(head);
        response.Clear();
        ReadOnlySpan<byte> status, type = "text/plain; charset=utf-8"u8, challenge = default;
        if (IsGet(requestLine, "/metrics"u8) && _auth.Required && !_auth.Allows(head))
        {
            response.Append("authentication required\n"u8);
            status = "401 Unauthorized"u8;
            challenge = "\r\nWWW-Authenticate: Basic realm=\"coca\""u8;
        }
        else if (IsGet(requestLine, "/metrics"u8))
        {
            _metrics(response);
            if (!_auth.Required) CoarseEnergy.Apply(response);
            status = "200 OK"u8;
            type = "text/plain; version=0.0.4; charset=utf-8"u8;
        }
        else if (IsGet(requestLine, "/health"u8))
        {
            response.Append("ok\n"u8);
            status = "200 OK"u8;
        }
        else if (requestLine.StartsWith("GET "u8))
        {
            response.Append("not found: try /metrics\n"u8);
            status = "404 Not Found"u8;
        }
        else
        {
            response.Append("only GET\n"u8);
            status = "405 Method Not Allowed"u8;
        }

        Span<byte> http = stackalloc byte[ByteBuffer.HeadRoom];
        var w = 0;
        Put(http, ref w, "HTTP/1.1 "u8);
        Put(http, ref w, status);
        Put(http, ref w, "\r\nContent-Type: "u8);
        Put(http, ref w, type);
        Put(http, ref w, challenge);
        Put(http, ref w, "\r\nContent-Length: "u8);
        response.BodyLength.TryFormat(http[w..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        w += digits;
        Put(http, ref w, close ? "\r\nConnection: close\r\n\r\n"u8 : "\r\n\r\n"u8);
        response.Prepend(http[..w]);
        return close;
    }

    // "GET /metrics HTTP/1.1", or with a query string: "GET /metrics?name[]=… HTTP/1.1".
    private static bool IsGet(ReadOnlySpan<byte> requestLine, ReadOnlySpan<byte> path)
    {
        if (!requestLine.StartsWith("GET "u8)) return false;
        var target = requestLine[4..];
        return target.StartsWith(path) && target.Length > path.Length && target[path.Length] is (byte)' ' or (byte)'?';
    }

    private static bool ClosesConnection(ReadOnlySpan<byte> head)
    {
        if (head.IndexOf("onnection"u8) < 0) return false; // the common case, without a string
        return Encoding.ASCII.GetString(head).Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
    }

    private static void Put(Span<byte> into, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(into[at..]);
        at += bytes.Length;
    }

    public void Dispose()
    {
        _listener.Stop();
        _certificate?.Dispose();
    }
}
