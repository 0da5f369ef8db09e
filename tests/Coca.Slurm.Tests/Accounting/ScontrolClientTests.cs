using Coca.Slurm.Accounting;

namespace Coca.Slurm.Tests.Accounting;

public class ScontrolClientTests
{
    [Fact]
    public void NumCpus_is_read_from_the_one_line_form()
    {
        const string line = "JobId=4101 JobName=train UserId=ada(1000) GroupId=ada(1000) JobState=RUNNING NumNodes=1 NumCPUs=16 NumTasks=1 CPUs/Task=16 ReqB:S:C:T=0:0:*:*\n";
        Assert.Equal(16, ScontrolClient.NumCpus(line));
    }

    [Theory]
    [InlineData("JobId=1 JobState=PENDING")]
    [InlineData("JobId=1 NumCPUs=zero")]
    [InlineData("JobId=1 NumCPUs=0")]
    [InlineData("")]
    public void A_line_without_a_positive_NumCpus_is_unknown(string line)
    {
        Assert.Null(ScontrolClient.NumCpus(line));
    }

    [Fact]
    public void A_missing_scontrol_is_an_unknown_answer_not_an_error()
    {
        Assert.Null(new ScontrolClient("/nonexistent/scontrol").AllocatedCpus("1"));
        Assert.Null(new ScontrolClient("/bin/false").AllocatedCpus("1"));
    }
}
