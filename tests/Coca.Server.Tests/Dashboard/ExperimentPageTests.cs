using System.Net;
using Coca.Core.Accounting;
using Coca.Core.Analysis;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary><c>/experiments/{name}</c>: an admin reads an experiment's arms and effects; a user is refused; an unknown name is 404.</summary>
public sealed class ExperimentPageTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting => DashboardData.Accounting;

    protected override void Seed(IJobStore store)
    {
        DashboardData.Seed(store);
        // Started a week ago: alice got feedback, bob is the control; both ran jobs either side of the start.
        store.Feedback.CreateExperiment(new ExperimentDefinition("spring", DashboardData.Now.AddDays(-7), 0.5, 42, "energy"),
            [new ArmAssignment("alice", "feedback", 0, 1.0), new ArmAssignment("bob", "control", 0, 0.5)]);
    }

    [Fact]
    public async Task An_admin_reads_the_arms_and_effects_a_user_is_refused_and_an_unknown_name_is_404()
    {
        var (status, page) = await SignedInPage("experiments/spring", TokenRoles.Admin, "root");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Difference in differences", page, StringComparison.Ordinal);
        foreach (var metric in ReceptivenessMetrics.All) Assert.Contains(metric, page, StringComparison.Ordinal);
        Assert.Contains("<td>feedback</td><td>1</td>", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await SignedInPage("experiments/spring", TokenRoles.User, "alice")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SignedInPage("experiments/autumn", TokenRoles.Admin, "root")).Status);
    }
}
