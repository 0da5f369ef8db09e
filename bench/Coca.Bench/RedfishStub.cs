using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coca.Bench;

/// <summary>A BMC for the tick benchmark: plain HTTP (HttpListener), a chassis and its legacy Power resource whose watts change at every answer.</summary>
internal sealed class RedfishStub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Thread _thread;
    private int _answers;

    public RedfishStub()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true, Name = "redfish-stub" };
        _thread.Start();
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public int Answers => Volatile.Read(ref _answers);

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
            var n = Interlocked.Increment(ref _answers);
            var body = path switch
            {
                "/redfish/v1/Chassis" => """{"Members":[{"@odata.id":"/redfish/v1/Chassis/1"}]}""",
                "/redfish/v1/Chassis/1" => """{"Id":"1","Power":{"@odata.id":"/redfish/v1/Chassis/1/Power"}}""",
                "/redfish/v1/Chassis/1/Power" => "{\"PowerControl\":[{\"PowerConsumedWatts\":" + (400 + n % 50).ToString(CultureInfo.InvariantCulture) + "}]}",
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            if (body is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "application/json";
                context.Response.OutputStream.Write(bytes);
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
