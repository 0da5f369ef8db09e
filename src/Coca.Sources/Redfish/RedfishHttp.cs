using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Coca.Sources.NodeMeter;

namespace Coca.Sources.Redfish;

/// <summary>
/// GETs of a BMC's Redfish resources: TLS verified against the given CA or the system store (or not at all, when told),
/// basic or session authentication, a timeout per request, no redirects (a password never follows one elsewhere).
/// Errors are <see cref="MeterProblemException"/>s naming the resource and the status, never a credential or a header.
/// </summary>
public sealed class RedfishHttp : IDisposable
{
    private readonly RedfishOptions _options;
    private readonly HttpClient _client;
    private readonly X509Certificate2Collection? _ca;
    private string? _sessionToken;
    private string? _sessionLocation;

    public RedfishHttp(RedfishOptions options)
    {
        if (!string.IsNullOrEmpty(options.BaseAddress.UserInfo)) throw new FormatException("the Redfish URL must not carry credentials: use --redfish-credentials FILE");
        _options = options;
        if (options.CaFile is { } caFile)
        {
            _ca = new X509Certificate2Collection();
            try
            {
                _ca.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new FormatException($"cannot read the CA file {caFile}: {e.GetType().Name}");
            }
            if (_ca.Count == 0) throw new FormatException($"the CA file {caFile} holds no certificate");
        }
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        };
        _client = new HttpClient(handler) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The resource's JSON text.</summary>
    public async Task<string> GetAsync(string path, CancellationToken cancel)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, cancel).ConfigureAwait(false);
        if (status == HttpStatusCode.Unauthorized && _options.Auth == RedfishAuth.Session && _sessionToken is not null)
        {
            _sessionToken = null; // the session expired: log in once more
            (status, body) = await SendAsync(HttpMethod.Get, path, null, cancel).ConfigureAwait(false);
        }
        return status switch
        {
            HttpStatusCode.OK => body,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw new MeterProblemException($"{path}: the BMC refused the credentials (HTTP {(int)status})"),
            _ => throw new MeterProblemException($"{path}: HTTP {(int)status} {status}"),
        };
    }

    private async Task<(HttpStatusCode, string)> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            if (_options.Auth == RedfishAuth.Session && _sessionToken is null && _options.Credentials is not null) await LogInAsync(timeout.Token).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, path);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_options.Auth == RedfishAuth.Session && _sessionToken is not null) request.Headers.Add("X-Auth-Token", _sessionToken);
            else if (_options.Credentials is { } c) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}")));
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new MeterProblemException($"{path}: no answer within {_options.TimeoutSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            // The message names the host and the TLS or socket error; it carries no header, hence no credential.
            throw new MeterProblemException($"{path}: {Describe(e)}");
        }
    }

    private async Task LogInAsync(CancellationToken cancel)
    {
        var c = _options.Credentials!;
        var body = $"{{\"UserName\":{JsonSerializer.Serialize(c.User, RedfishJsonContext.Default.String)},\"Password\":{JsonSerializer.Serialize(c.Password, RedfishJsonContext.Default.String)}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/redfish/v1/SessionService/Sessions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request, cancel).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            throw new MeterProblemException($"the BMC refused the session log-in (HTTP {(int)response.StatusCode})");
        }
        if (!response.IsSuccessStatusCode) throw new MeterProblemException($"session log-in: HTTP {(int)response.StatusCode} {response.StatusCode}");
        _sessionToken = response.Headers.TryGetValues("X-Auth-Token", out var tokens) ? tokens.FirstOrDefault() : null;
        _sessionLocation = response.Headers.Location?.ToString();
        if (_sessionToken is null) throw new MeterProblemException("session log-in: the BMC answered without an X-Auth-Token");
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_options.Insecure) return true;
        if (_ca is null) return errors == SslPolicyErrors.None;
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (!custom.Build(leaf)) return false;
        return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }

    private static string Describe(HttpRequestException e)
    {
        if (e.InnerException is System.Security.Authentication.AuthenticationException) return "the BMC's TLS certificate is not trusted (give --redfish-ca FILE, or --redfish-insecure on a trusted network)";
        return e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "cannot connect to the BMC",
            HttpRequestError.NameResolutionError => "the BMC's host name does not resolve",
            HttpRequestError.SecureConnectionError => "the TLS handshake with the BMC failed",
            _ => $"request failed ({e.HttpRequestError})",
        };
    }

    public void Dispose()
    {
        // Sessions are a scarce resource on a BMC (iDRAC allows a handful): log out rather than wait for the expiry.
        if (_sessionToken is not null && _sessionLocation is not null)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, _sessionLocation);
                request.Headers.Add("X-Auth-Token", _sessionToken);
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _client.Send(request, cancel.Token).Dispose();
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                // the session expires on the BMC on its own
            }
        }
        _client.Dispose();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class RedfishJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
