using System.Net;
using Coca.Core.Accounting;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary>The dashboard over HTTP: sign-in by a one-time link, the cookie, sign-out with CSRF, who sees which job, bad input.</summary>
public sealed class DashboardTests : ServerHarness, IDisposable
{
    private readonly HttpClient _plain;

    public DashboardTests() => _plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    protected override IReadOnlyList<AccountingJob> Accounting => DashboardData.Accounting;

    protected override void Seed(IJobStore store) => DashboardData.Seed(store);

    private string LoginLink(string user, string role = TokenRoles.User, TimeSpan? ttl = null)
    {
        using var store = JobStores.Open(Store);
        return store.IssueLogin(role, user, ttl ?? TimeSpan.FromMinutes(10));
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? cookie = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = content };
        if (cookie is not null) request.Headers.Add("Cookie", $"coca_session={cookie}");
        return await _plain.SendAsync(request);
    }

    private async Task<(string Cookie, string SetCookie)> SignIn(string user, string role = TokenRoles.User)
    {
        using var response = await Send(HttpMethod.Get, "login?token=" + Uri.EscapeDataString(LoginLink(user, role)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var value = setCookie.Split(';')[0]["coca_session=".Length..];
        return (value, setCookie);
    }

    private async Task<(HttpStatusCode Status, string Body)> Page(string path, string? cookie)
    {
        using var response = await Send(HttpMethod.Get, path, cookie);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_login_link_sets_an_HttpOnly_strict_cookie_once_and_opens_the_users_overview()
    {
        var token = LoginLink("alice");
        using var first = await Send(HttpMethod.Get, "login?token=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie.ToLowerInvariant());
        Assert.Contains("samesite=strict", setCookie.ToLowerInvariant());
        Assert.Contains("expires=", setCookie.ToLowerInvariant());

        using var again = await Send(HttpMethod.Get, "login?token=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        var cookie = setCookie.Split(';')[0]["coca_session=".Length..];
        var (status, body) = await Page("", cookie);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your last 30 days", body);
        Assert.Contains("FAILED", body);
        Assert.DoesNotContain("train-201", body);
    }

    [Fact]
    public async Task An_expired_or_unknown_link_and_no_session_are_refused()
    {
        var expired = LoginLink("alice", ttl: TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "login?token=" + expired)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "login?token=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Page("jobs", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Page("jobs", "forged")).Status);
    }

    [Fact]
    public async Task A_user_is_refused_another_users_job_its_plot_csv_and_series_but_an_admin_sees_it()
    {
        var (alice, _) = await SignIn("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("jobs/201", alice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("jobs/201/series.csv", alice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("api/v1/jobs/201/series", alice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(Alice, "api/v1/jobs/201/series")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Page("jobs/999", alice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("users", alice)).Status);
        var (jobs, list) = await Page("jobs", alice);
        Assert.Equal(HttpStatusCode.OK, jobs);
        Assert.Contains("train-101", list);
        Assert.DoesNotContain("train-201", list);

        var (admin, _) = await SignIn("root", TokenRoles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await Page("jobs/201", admin)).Status);
        Assert.Contains("bob", (await Page("users", admin)).Body);
        var (_, cluster) = await Page("", admin);
        Assert.Contains("days-plot", cluster);
        Assert.Contains("proj-bob", cluster);
    }

    [Fact]
    public async Task The_job_page_plots_power_per_device_with_its_figures_and_the_csv_and_api_carry_them()
    {
        var (alice, _) = await SignIn("alice");
        var (status, body) = await Page("jobs/101", alice);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg id=\"power-plot\"", body);
        Assert.Contains("n1 gpu:GPU-a", body);
        Assert.Contains("255 W", body);
        Assert.Contains("series.csv", body);
        Assert.Contains("Energy by component", body);

        var (csvStatus, csv) = await Page("jobs/101/series.csv", alice);
        Assert.Equal(HttpStatusCode.OK, csvStatus);
        var lines = csv.Trim().Split('\n');
        Assert.Equal(41, lines.Length);
        Assert.StartsWith("device,time,energy_uj,power_w", lines[0]);

        var (apiStatus, json) = await Get(Alice, "api/v1/jobs/101/series");
        Assert.Equal(HttpStatusCode.OK, apiStatus);
        Assert.Equal(40, json.GetProperty("points").GetArrayLength());
        Assert.Equal(250, json.GetProperty("points")[0].GetProperty("power_w").GetDouble());
    }

    [Fact]
    public async Task Signing_out_needs_the_pages_csrf_token_and_ends_the_session()
    {
        var (alice, _) = await SignIn("alice");
        var page = (await Page("", alice)).Body;
        var marker = "name=\"csrf\" value=\"";
        var start = page.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var csrf = page[start..page.IndexOf('"', start)];

        using var forged = await Send(HttpMethod.Post, "logout", alice, new FormUrlEncodedContent([new("csrf", "wrong")]));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Page("", alice)).Status);

        using var signOut = await Send(HttpMethod.Post, "logout", alice, new FormUrlEncodedContent([new("csrf", csrf)]));
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Page("", alice)).Status);
    }

    [Fact]
    public async Task Bad_filters_are_a_400_with_the_reason_and_filters_select()
    {
        var (alice, _) = await SignIn("alice");
        var (status, body) = await Page("jobs?since=yesterday-ish", alice);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("since must be a date", body);
        Assert.Equal(HttpStatusCode.BadRequest, (await Page("jobs?sort=chaos", alice)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Page("jobs?tag=novalue", alice)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Page("jobs?page=0", alice)).Status);
        var (_, failed) = await Page("jobs?state=FAILED", alice);
        Assert.Contains("train-102", failed);
        Assert.DoesNotContain("train-101", failed);
        var (_, byEnergy) = await Page("jobs?sort=energy", alice);
        Assert.True(byEnergy.IndexOf("train-101", StringComparison.Ordinal) < byEnergy.IndexOf("train-102", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_page_answers_a_user_and_loads_nothing_from_elsewhere()
    {
        var (alice, _) = await SignIn("alice");
        foreach (var path in new[] { "", "jobs", "jobs/101", "behaviours", "trends" })
        {
            using var response = await Send(HttpMethod.Get, path, alice);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script", body);
            Assert.DoesNotContain("src=\"http", body);
        }
        Assert.Contains("rebound", (await Page("trends", alice)).Body);
    }

    public void Dispose() => _plain.Dispose();
}
