using Coca.Slurm.Jobs;

namespace Coca.Slurm.Tests.Jobs;

/// <summary>MailProg's arguments and environment as slurmctld gives them (src/slurmctld/agent.c: argv = MailProg -s SUBJECT USER).</summary>
public sealed class MailProgRequestTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] pairs) => k => pairs.FirstOrDefault(p => p.Key == k).Value;

    [Fact]
    public void Slurm_21_08_and_later_end_mail_takes_the_job_and_type_from_the_environment()
    {
        var r = MailProgRequest.Parse(["-s", "Slurm Job_id=4242 Name=train Ended, Run time 00:10:00, COMPLETED, ExitCode 0", "alice"],
            Env(("SLURM_JOB_ID", "4242"), ("SLURM_JOB_USER", "alice"), ("SLURM_JOB_MAIL_TYPE", "Ended"), ("SLURM_JOB_STATE", "COMPLETED")));
        Assert.Equal(("Slurm Job_id=4242 Name=train Ended, Run time 00:10:00, COMPLETED, ExitCode 0", "4242", "Ended", "alice", true, false),
            (r.Subject, r.JobId, r.MailType, r.User, r.EndOfJob, r.ArraySummary));
        Assert.Equal(["alice"], r.Recipients);
    }

    [Theory]
    [InlineData("Slurm Job_id=77 Name=my run Began, Queued time 00:00:05", "77", "Began", false)]
    [InlineData("Slurm Job_id=77 Name=Ended Began Failed, Run time 00:01:00, FAILED, ExitCode 1", "77", "Failed", true)]
    [InlineData("Slurm Array Task Job_id=123_4 (130) Name=sweep Ended, Run time 00:02:00, COMPLETED, ExitCode 0", "123_4", "Ended", true)]
    [InlineData("Slurm Array Summary Job_id=123_* (123) Name=sweep Ended, Mixed, ExitCode [0-1]", "123", "Ended", true)]
    [InlineData("Slurm Job_id=9 Name=x Reached 90% of time limit, Run time 00:54:00", "9", "Reached 90% of time limit", false)]
    [InlineData("Slurm Job_id=9 Name=x Requeued, Run time 00:54:00", "9", "Requeued", false)]
    public void Older_slurm_without_the_environment_is_read_from_the_subject(string subject, string job, string type, bool end)
    {
        var r = MailProgRequest.Parse(["-s", subject, "bob@lab.example"], Env());
        Assert.Equal((job, type, end), (r.JobId, r.MailType, r.EndOfJob));
        Assert.Equal(subject.StartsWith("Slurm Array Summary", StringComparison.Ordinal), r.ArraySummary);
    }

    [Fact]
    public void An_array_summary_is_looked_up_by_the_array_not_the_task_slurm_sent_it_from()
    {
        var r = MailProgRequest.Parse(["-s", "Slurm Array Summary Job_id=500_* (507) Name=s Ended, COMPLETED, ExitCode [0-0]", "carol"],
            Env(("SLURM_JOB_ID", "507"), ("SLURM_ARRAY_JOB_ID", "500"), ("SLURM_JOB_MAIL_TYPE", "Ended")));
        Assert.Equal(("500", true), (r.JobId, r.ArraySummary));
    }

    [Theory]
    [InlineData(new[] { "-s", "Subject here", "-r", "slurm@ctl", "alice" }, "Subject here", new[] { "alice" })]
    [InlineData(new[] { "-sSubject glued", "alice", "bob" }, "Subject glued", new[] { "alice", "bob" })]
    [InlineData(new[] { "-n", "-s", "S", "-x", "--", "-odd-name" }, "S", new[] { "-odd-name" })]
    [InlineData(new[] { "alice" }, "", new[] { "alice" })]
    public void Other_layouts_and_extra_options_are_tolerated(string[] args, string subject, string[] recipients)
    {
        var r = MailProgRequest.Parse(args, Env());
        Assert.Equal(subject, r.Subject);
        Assert.Equal(recipients, r.Recipients);
        Assert.Null(r.MailType);
        Assert.False(r.EndOfJob);
    }

    [Fact]
    public void A_job_id_that_is_not_slurms_is_no_job_and_no_recipient_is_refused()
    {
        Assert.Null(MailProgRequest.Parse(["-s", "x", "alice"], Env(("SLURM_JOB_ID", "../etc"), ("SLURM_JOB_MAIL_TYPE", "Ended"))).JobId);
        Assert.Throws<ArgumentException>(() => MailProgRequest.Parse(["-s", "Slurm Job_id=1 Name=x Ended"], Env()));
    }
}
