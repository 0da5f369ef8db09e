using Coca.Agent.Reports;

namespace Coca.Agent.Tests.Reports;

public sealed class ReportToOutputTests
{
    [Fact]
    public void The_prologs_SLURM_JOB_STDOUT_is_taken_before_scontrol_is_asked()
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "42", ["SLURM_JOB_STDOUT"] = "/home/ada/slurm-42.out" };

        Assert.Equal("/home/ada/slurm-42.out", ReportToOutput.OutputPath(env, () => throw new InvalidOperationException("scontrol asked")));
    }

    [Fact]
    public void Without_it_scontrol_says()
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "42", ["SLURM_JOB_STDOUT"] = " " };

        Assert.Equal("/scratch/ada/run.log", ReportToOutput.OutputPath(env, () => "/scratch/ada/run.log"));
        Assert.Null(ReportToOutput.OutputPath(null, () => null));
    }
}
