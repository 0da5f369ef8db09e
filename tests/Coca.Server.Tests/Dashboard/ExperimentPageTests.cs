using System.Net;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary><c>/experiments/{name}</c>: an admin reads an experiment's arms and effects; a user is refused; an unknown name is 404.</summary>
public sealed class ExperimentPageTests : ServerHarness, IDisposable
{
    private readonly HttpClient _plain = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    protected override IReadOnlyList<AccountingJob> Accounting => DashboardData.Accounting;

    protected override void Seed(IJobStore store)
    {
        DashboardData.Seed(store);
        // Started a week ago: alice got feedback, bob is the control; both ran jobs either side of the start.
        store.Feedback.CreateExperiment(new ExperimentDefinition("spring", DashboardData.Now.AddDays(-7), 0.5, 42, "energy"),
            [new ArmAssignment("alice", "feedback", 0, 1.0), new ArmAssignment("bob", "control", 0, 0.5)]);
    }

    private async Task<(HttpStatusCode Status, string Body)> Get(string path, string role, string subject)
    {
        string link;
        using (var store = JobStores.Open(Store)) link = store.IssueLogin(role, subject, TimeSpan.FromMinutes(10));
        using var login = await _plain.GetAsync(new Uri(BaseAddress, "login?token=" + Uri.EscapeDataString(link)));
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path));
        request.Headers.Add("Cookie", cookie);
        using var response = await _plain.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_reads_the_arms_and_effects_a_user_is_refused_and_an_unknown_name_is_404()
    {
        var (status, page) = await Get("experiments/spring", TokenRoles.Admin, "root");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Difference in differences", page, StringComparison.Ordinal);
        foreach (var metric in ReceptivenessMetrics.All) Assert.Contains(metric, page, StringComparison.Ordinal);
        Assert.Contains("<td>feedback</td><td>1</td>", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await Get("experiments/spring", TokenRoles.User, "alice")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get("experiments/autumn", TokenRoles.Admin, "root")).Status);
    }

    public void Dispose() => _plain.Dispose();
}
