using System.Net;
using Coca.Core.Accounting;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary>A reverse proxy's user header signs in only from a trusted proxy's address (here loopback).</summary>
public sealed class TrustedProxyTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting => DashboardData.Accounting;

    protected override void Configure(ServerOptions options)
    {
        options.TrustedUserHeader = "X-Remote-User";
        options.TrustedProxies = [IPAddress.Loopback];
        options.Admins = new HashSet<string> { "carol" };
    }

    private async Task<HttpStatusCode> As(string user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Remote-User", user);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task The_header_from_a_trusted_proxy_names_the_user_and_admins_come_from_the_site_list()
    {
        Assert.Equal(HttpStatusCode.OK, await As("alice", "jobs/101"));
        Assert.Equal(HttpStatusCode.Forbidden, await As("alice", "jobs/201"));
        Assert.Equal(HttpStatusCode.Forbidden, await As("alice", "users"));
        Assert.Equal(HttpStatusCode.OK, await As("carol", "users"));
    }
}

/// <summary>The same header from an address that is not a trusted proxy is ignored.</summary>
public sealed class UntrustedProxyTests : ServerHarness
{
    protected override void Configure(ServerOptions options)
    {
        options.TrustedUserHeader = "X-Remote-User";
        options.TrustedProxies = [IPAddress.Parse("10.9.8.7")];
    }

    [Fact]
    public async Task The_header_from_elsewhere_signs_nobody_in()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.Add("X-Remote-User", "root");
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
