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

    // Recorded from scontrol 23.11's `show job -o` (one line; middle fields elided).
    private const string Recorded = "JobId=4101 JobName=train UserId=ada(1000) GroupId=ada(1000) JobState=COMPLETED Reason=None NumNodes=1 NumCPUs=16 " +
        "Command=/home/ada/train.sh WorkDir=/home/ada StdErr=/home/ada/runs/slurm-4101.out StdIn=/dev/null StdOut=/home/ada/runs/slurm-4101.out Power= TresPerNode=gres/gpu:1\n";

    [Fact]
    public void StdOut_is_read_from_the_one_line_form()
    {
        Assert.Equal("/home/ada/runs/slurm-4101.out", ScontrolClient.StdOut(Recorded));
    }

    [Fact]
    public void A_StdOut_path_with_spaces_ends_at_the_next_field()
    {
        Assert.Equal("/home/ada/my runs/out.log", ScontrolClient.StdOut("JobId=1 StdIn=/dev/null StdOut=/home/ada/my runs/out.log Power= TresPerNode=gres/gpu:1"));
        Assert.Equal("/home/ada/last.log", ScontrolClient.StdOut("JobId=1 StdOut=/home/ada/last.log\n"));
    }

    [Theory]
    [InlineData("JobId=1 JobState=PENDING")]
    [InlineData("JobId=1 StdOut= Power=")]
    [InlineData("JobId=1 StdOut=relative.out")]
    [InlineData("")]
    public void A_line_without_an_absolute_StdOut_is_unknown(string line)
    {
        Assert.Null(ScontrolClient.StdOut(line));
    }

    [Fact]
    public void A_missing_scontrol_gives_no_StdOut()
    {
        Assert.Null(new ScontrolClient("/nonexistent/scontrol").StdOutPath("1"));
    }
}
