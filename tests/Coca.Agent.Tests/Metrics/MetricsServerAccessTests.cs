using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Coca.Agent.Metrics;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Metrics;

/// <summary>/metrics gives a local user no fine-grained energy unless the admin lets them in (issue 12, item 2).</summary>
public sealed class MetricsServerAccessTests
{
    private const string Page = "# TYPE coca_device_energy_joules_total counter\n" +
        "coca_device_energy_joules_total{node=\"n\",device=\"package-0\",kind=\"cpu\"} 1234.567891\n" +
        "coca_device_power_watts{node=\"n\",device=\"package-0\",kind=\"cpu\"} 41.25\n" +
        "coca_job_energy_joules_total{job_id=\"7\",user=\"al\",component=\"cpu\"} 9.999999\n" +
        "coca_agent_tick_duration_seconds 0.000512\n";

    private static readonly string Hash = BCrypt.Net.BCrypt.HashPassword("s3cret", 4);

    private static (MetricsServer Server, CancellationTokenSource Stop) Start(WebConfig? web)
    {
        var server = new MetricsServer("127.0.0.1:0", b => b.Append(Encoding.UTF8.GetBytes(Page)), web);
        var stop = new CancellationTokenSource();
        _ = server.ServeAsync(stop.Token);
        return (server, stop);
    }

    private static async Task<HttpResponseMessage> Get(MetricsServer server, string? user = null, string? password = null, string scheme = "http", HttpMessageHandler? handler = null)
    {
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{scheme}://127.0.0.1:{server.Endpoint.Port}/metrics");
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Without_authentication_energy_is_served_in_whole_joules_and_power_in_whole_watts()
    {
        var (server, stop) = Start(WebConfig.None);
        using (server)
        using (stop)
        {
            var body = await (await Get(server)).Content.ReadAsStringAsync();
            Assert.Contains("kind=\"cpu\"} 1234\n", body, StringComparison.Ordinal);
            Assert.Contains("coca_device_power_watts{node=\"n\",device=\"package-0\",kind=\"cpu\"} 41\n", body, StringComparison.Ordinal);
            Assert.Contains("component=\"cpu\"} 9\n", body, StringComparison.Ordinal);
            Assert.Contains("coca_agent_tick_duration_seconds 0.000512\n", body, StringComparison.Ordinal); // not energy: as it is
            Assert.DoesNotContain("1234.5", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_users_a_scrape_without_valid_credentials_is_refused_and_a_valid_one_gets_full_resolution()
    {
        var (server, stop) = Start(new WebConfig(new Dictionary<string, string> { ["prometheus"] = Hash }, null, null));
        using (server)
        using (stop)
        {
            var anonymous = await Get(server);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, "prometheus", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(server, "mallory", "s3cret")).StatusCode);
            for (var i = 0; i < 2; i++) // the second time from the remembered credentials
            {
                var ok = await Get(server, "prometheus", "s3cret");
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                Assert.Contains("kind=\"cpu\"} 1234.567891\n", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Tls_from_a_web_config_file_serves_metrics_over_https()
    {
        using var dir = new TempDirectory();
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(dir.Path, "agent.crt"), cert.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir.Path, "agent.key"), key.ExportPkcs8PrivateKeyPem());
        }
        var file = Path.Combine(dir.Path, "web.yml");
        File.WriteAllText(file, $"# the agent's listener\ntls_server_config:\n  cert_file: agent.crt\n  key_file: \"agent.key\"\nbasic_auth_users:\n  prometheus: {Hash}\n");
        var (server, stop) = Start(WebConfigFile.Load(file));
        using (server)
        using (stop)
        using (var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            var ok = await Get(server, "prometheus", "s3cret", "https", handler);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("1234.567891", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await Assert.ThrowsAsync<HttpRequestException>(() => Get(server, "prometheus", "s3cret", "http"));
        }
    }

    [Theory]
    [InlineData("basic_auth_users:\n  alice: plaintext\n", "2: the password of 'alice' must be a bcrypt hash")]
    [InlineData("http_server_config:\n  http2: true\n", "1: unsupported key 'http_server_config'")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  client_auth_type: RequireAndVerifyClientCert\n", "3: unsupported key 'client_auth_type'")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n", "tls_server_config needs both cert_file and key_file")]
    [InlineData("basic_auth_users\n", "1: expected key: value")]
    public void Web_config_that_cannot_be_honoured_is_an_error_with_its_line(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => WebConfigFile.Parse(text, "web.yml", "/etc/coca"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
