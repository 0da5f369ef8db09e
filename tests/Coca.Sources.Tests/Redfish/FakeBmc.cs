using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coca.Sources.Tests.Redfish;

/// <summary>
/// A BMC at the lowest level: a local HTTPS server (Kestrel, a self-signed certificate made for the test) serving
/// Redfish resources by path, with basic or session authentication, and faults on demand (503, an answer that never
/// comes). The certificate's PEM is written for the client's --redfish-ca.
/// </summary>
internal sealed class FakeBmc : IAsyncDisposable
{
    public const string User = "root";
    public const string Password = "calvin-s3cret";
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeBmc(IDictionary<string, string> resources, string caPemPath, string? hostName = "localhost")
    {
        Resources = new Dictionary<string, string>(resources, StringComparer.OrdinalIgnoreCase);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + hostName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName!);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        File.WriteAllText(caPemPath, certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    public Dictionary<string, string> Resources { get; }
    public int Port { get; }
    public Uri Url => new($"https://localhost:{Port}");
    public Uri IpUrl => new($"https://127.0.0.1:{Port}");

    public bool SessionsOnly { get; set; }
    public int? FailWith { get; set; }
    public bool Hang { get; set; }
    public int Requests;
    public int LogIns;
    public List<string> Paths { get; } = [];
    private readonly HashSet<string> _tokens = [];

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        var path = context.Request.Path.Value!.TrimEnd('/');
        lock (Paths) Paths.Add(context.Request.Method + " " + path);
        if (Hang)
        {
            await _never.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { });
            return;
        }
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }
        if (context.Request.Method == "POST" && path == "/redfish/v1/SessionService/Sessions")
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            if (!body.Contains($"\"UserName\":\"{User}\"", StringComparison.Ordinal) || !body.Contains($"\"Password\":\"{Password}\"", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                return;
            }
            Interlocked.Increment(ref LogIns);
            var token = Guid.NewGuid().ToString("N");
            lock (_tokens) _tokens.Add(token);
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Auth-Token"] = token;
            context.Response.Headers.Location = "/redfish/v1/SessionService/Sessions/" + token[..8];
            return;
        }
        if (context.Request.Method == "DELETE")
        {
            context.Response.StatusCode = 204;
            return;
        }
        if (!Authorised(context.Request))
        {
            context.Response.StatusCode = 401;
            return;
        }
        if (!Resources.TryGetValue(path, out var json))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    /// <summary>Expires every session: the next request with an old token is refused.</summary>
    public void ExpireSessions()
    {
        lock (_tokens) _tokens.Clear();
    }

    private bool Authorised(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Auth-Token", out var token))
        {
            lock (_tokens) return _tokens.Contains(token.ToString());
        }
        if (SessionsOnly) return false;
        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        return request.Headers.Authorization.ToString() == expected;
    }

    /// <summary>A recorded tree (the DMTF mockup's <c>path/index.json</c> layout) as resources by path.</summary>
    public static Dictionary<string, string> FromMockup(string root)
    {
        var resources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(root, "index.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Replace('\\', '/');
            resources[relative == "." ? "/redfish/v1" : "/redfish/v1/" + relative] = File.ReadAllText(file);
        }
        return resources;
    }

    public async ValueTask DisposeAsync()
    {
        _never.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
