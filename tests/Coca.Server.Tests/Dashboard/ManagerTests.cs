using System.Net;
using Coca.Core.Accounting;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary>
/// An account manager's session (<c>coca token login-url --manager ACCOUNT</c>): the jobs of that Slurm account, whoever
/// ran them, on every page, and 403 for a job outside it, its CSV and its series, even when asked for by user.
/// </summary>
public sealed class ManagerTests : ServerHarness, IDisposable
{
    private readonly HttpClient _plain = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    // carol's job 301 is in alice's account: a manager of proj-alice sees it, alice herself does not.
    protected override IReadOnlyList<AccountingJob> Accounting =>
    [
        .. DashboardData.Accounting,
        new AccountingJob
        {
            JobIdRaw = "301", JobId = "301", User = "carol", Account = "proj-alice", Partition = "gpu", Nodes = "n1", State = "COMPLETED", Gpus = 1,
            Submit = DashboardData.Now.AddDays(-1), Start = DashboardData.Now.AddDays(-1), End = DashboardData.Now.AddDays(-1).AddHours(1), ElapsedS = 3600, Name = "train-301",
        },
    ];

    protected override void Seed(IJobStore store) => DashboardData.Seed(store);

    private async Task<string> SignIn(string role, string subject)
    {
        string link;
        using (var store = JobStores.Open(Store)) link = store.IssueLogin(role, subject, TimeSpan.FromMinutes(10));
        using var response = await _plain.GetAsync(new Uri(BaseAddress, "login?token=" + Uri.EscapeDataString(link)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0]["coca_session=".Length..];
    }

    private async Task<(HttpStatusCode Status, string Body)> Page(string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path));
        request.Headers.Add("Cookie", $"coca_session={cookie}");
        using var response = await _plain.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_manager_sees_every_job_of_their_account_and_is_refused_another_accounts_job_plot_csv_and_series()
    {
        var manager = await SignIn(ManagerRole.Of("proj-alice"), "dana");

        var (status, job) = await Page("jobs/301", manager);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("carol", job);
        var (ownStatus, own) = await Page("jobs/101", manager);
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Contains("<svg id=\"power-plot\"", own);
        Assert.Equal(HttpStatusCode.OK, (await Page("jobs/101/series.csv", manager)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Page("api/v1/jobs/101/series", manager)).Status);

        var (refused, refusal) = await Page("jobs/201", manager);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("not in account proj-alice", refusal);
        Assert.DoesNotContain("GPU-c", refusal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("jobs/201/series.csv", manager)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("api/v1/jobs/201/series", manager)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Page("users", manager)).Status);
    }

    [Fact]
    public async Task Every_page_of_a_manager_holds_their_accounts_jobs_only_even_filtered_by_another_user()
    {
        var manager = await SignIn(ManagerRole.Of("proj-alice"), "dana");
        var (_, jobs) = await Page("jobs", manager);
        Assert.Contains("train-101", jobs);
        Assert.Contains("train-301", jobs);
        Assert.DoesNotContain("train-201", jobs);
        Assert.Contains("dana (manager of proj-alice)", jobs);

        var (_, bobs) = await Page("jobs?user=bob", manager);
        Assert.DoesNotContain("train-201", bobs);
        var (_, carols) = await Page("jobs?user=carol", manager);
        Assert.Contains("train-301", carols);
        Assert.DoesNotContain("train-101", carols);

        foreach (var path in new[] { "", "behaviours", "behaviours?user=bob", "trends" })
        {
            var (status, body) = await Page(path, manager);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("proj-bob", body);
            Assert.DoesNotContain("\"/jobs/201\"", body);
        }
        // Three jobs in the account (101, 102, 301) against alice's own two: the overview counts the account's.
        Assert.Contains("3 jobs", (await Page("", manager)).Body);
        Assert.Contains("2 jobs", (await Page("", await SignIn(TokenRoles.User, "alice"))).Body);
    }

    [Fact]
    public void A_login_link_is_refused_for_a_malformed_account()
    {
        using var store = JobStores.Open(Store);
        Assert.Throws<ArgumentException>(() => store.IssueLogin(TokenRoles.ManagerPrefix + "a b", "dana", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentException>(() => ManagerRole.Of("proj;drop"));
        Assert.Null(ManagerRole.Account(TokenRoles.ManagerPrefix));
    }

    public void Dispose() => _plain.Dispose();
}
