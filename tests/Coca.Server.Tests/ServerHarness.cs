using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coca.Server.Tests;

/// <summary>A server on a loopback port with a SQLite store, agent tokens for n1 and n2, users alice and bob, an admin.</summary>
public abstract class ServerHarness : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("coca-server");
    private WebApplication? _app;
    private HttpClient? _plain;
    protected HttpClient Http { get; private set; } = null!;
    protected string N1 { get; private set; } = "";
    protected string N2 { get; private set; } = "";
    protected string Alice { get; private set; } = "";
    protected string Bob { get; private set; } = "";
    protected string Admin { get; private set; } = "";
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    protected string Store => "sqlite:" + _dir.Combine("coca.db");

    /// <summary>The accounting the store holds before the server starts.</summary>
    protected virtual IReadOnlyList<AccountingJob> Accounting => [];

    public async Task InitializeAsync()
    {
        using (var store = JobStores.Open(Store))
        {
            store.Migrate();
            N1 = store.IssueToken(TokenRoles.Agent, "n1");
            N2 = store.IssueToken(TokenRoles.Agent, "n2");
            Alice = store.IssueToken(TokenRoles.User, "alice");
            Bob = store.IssueToken(TokenRoles.User, "bob");
            Admin = store.IssueToken(TokenRoles.Admin, "root");
            store.UpsertAccounting(Accounting);
        }
        var options = new ServerOptions { Store = Store, Listen = "http://127.0.0.1:0" };
        Configure(options);
        using (var store = JobStores.Open(Store)) Seed(store);
        _app = CocaServer.Build(options);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
    }

    /// <summary>Settings of the server beyond the store and the address (a test's trusted proxy, say).</summary>
    protected virtual void Configure(ServerOptions options) { }

    /// <summary>What the store holds beyond <see cref="Accounting"/> before the server starts: measurements, series.</summary>
    protected virtual void Seed(IJobStore store) { }

    /// <summary>The server's address, with a trailing slash.</summary>
    protected Uri BaseAddress => Http.BaseAddress!;

    protected static JobMeasurement Measured(string job, string node, long gpuUj, string? user = "alice", DateTimeOffset? asOf = null) => new()
    {
        JobIdRaw = job, Node = node, User = user, EnergyOnWire = [0, 0, gpuUj, 0], ProvenanceOnWire = ["none", "none", "measured", "none"],
        AsOf = asOf ?? T0, Final = true,
    };

    protected static string Json(IngestBatch batch) => JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch);

    protected async Task<(HttpStatusCode Status, JsonElement Body)> Post(string token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> Get(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>
    /// A dashboard page as a browser gets it: signed in by a fresh login link for <paramref name="subject"/> in
    /// <paramref name="role"/>, then the page with the session cookie (no redirects followed, no cookie jar).
    /// </summary>
    protected async Task<(HttpStatusCode Status, string Body)> SignedInPage(string path, string role, string subject)
    {
        _plain ??= new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        string link;
        using (var store = JobStores.Open(Store)) link = store.IssueLogin(role, subject, TimeSpan.FromMinutes(10));
        using var login = await _plain.GetAsync(new Uri(BaseAddress, "login?token=" + Uri.EscapeDataString(link)));
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path));
        request.Headers.Add("Cookie", cookie);
        using var response = await _plain.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Http.Dispose();
        _plain?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
