using System.Net;
using Coca.Core.Accounting;
using Coca.Core.Metrics;
using Coca.Storage;

namespace Coca.Server.Tests.Dashboard;

/// <summary>The job page of a job with metrics: its metrics, and the trade-off figure of its script's runs (the owner's only).</summary>
public sealed class JobTradeoffPageTests : ServerHarness
{
    // Four runs of alice's train.sh (1, 2, 3, 4 kWh, Slurm's figure), bob's run of the same script, and alice's job without metrics.
    private static AccountingJob Run(string id, string user, double kwh) => new()
    {
        JobIdRaw = id, JobId = id, User = user, Account = "proj-" + user, Partition = "gpu", Nodes = "n1", State = "COMPLETED", Gpus = 1,
        Submit = T0, Start = T0, End = T0.AddHours(1), ElapsedS = 3600, Name = "train", SubmitLine = "sbatch train.sh", WorkDir = "/home/p",
        SlurmEnergyJ = kwh * 3.6e6,
    };

    protected override IReadOnlyList<AccountingJob> Accounting =>
        [Run("1", "alice", 1), Run("2", "alice", 2), Run("3", "alice", 3), Run("4", "alice", 4), Run("9", "bob", 0.5), Run("20", "alice", 1) with { Name = "other" }];

    protected override void Seed(IJobStore store) => store.ImportMetrics(
    [
        new JobMetric("1", new MetricPoint("accuracy", 0.7, 1, null)), new JobMetric("2", new MetricPoint("accuracy", 0.6, 1, null)),
        new JobMetric("3", new MetricPoint("accuracy", 0.8, 0, null)), new JobMetric("3", new MetricPoint("accuracy", 0.9, 1, null)),
        new JobMetric("9", new MetricPoint("accuracy", 0.99, 1, null)),
    ]);

    [Fact]
    public async Task A_job_with_metrics_shows_them_and_its_runs_trade_off_figure_without_other_users_runs()
    {
        var (status, page) = await SignedInPage("jobs/3", TokenRoles.User, "alice");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("What it achieved", page, StringComparison.Ordinal);
        Assert.Contains("<td>accuracy</td><td>2</td><td>0.9</td><td>0.9 (highest)</td>", page, StringComparison.Ordinal);
        Assert.Contains("<figure id=\"tradeoff-plot\"><svg", page, StringComparison.Ordinal);
        Assert.Contains("stroke=\"#1f77b4\"", page, StringComparison.Ordinal); // this job ringed
        // Runs 1 and 3 are the front; 2 (2 kWh) is dominated; 4 reported nothing; bob's run is not alice's to see.
        Assert.Contains("<td>2</td><td>2 kWh</td><td>0.6</td><td>no (dominated)</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>3 (this job)</td><td>3 kWh</td><td>0.9</td><td>yes</td>", page, StringComparison.Ordinal);
        Assert.Contains("1 without accuracy", page, StringComparison.Ordinal);
        Assert.DoesNotContain("0.99", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_without_metrics_has_no_such_section()
    {
        var (status, page) = await SignedInPage("jobs/20", TokenRoles.User, "alice");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("What it achieved", page, StringComparison.Ordinal);
        Assert.DoesNotContain("tradeoff-plot", page, StringComparison.Ordinal);
    }
}
