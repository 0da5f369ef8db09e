using Coca.Agent.Jobs;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Jobs;

public sealed class JobTrackerTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-tracker");

    [Fact]
    public void Cgroup_that_appears_after_the_prolog_is_found_at_the_next_checkpoint_and_then_gives_the_share()
    {
        var store = new JobRecordStore(_dir.Combine("state"));
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "7", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false" };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        using var tracker = new JobTracker(options, [], nodeCpus: 4, _ => { });

        var job = Assert.Single(tracker.Jobs(0, housekeeping: true, discover: true, machineBusySeconds: 10));
        Assert.Equal(0.25, job.CpuShare);
        Assert.Equal("1 of 4 CPUs allocated", job.CpuShareBasis);

        // slurmstepd makes the job's cgroup at its first step, after the Prolog.
        var cgroup = _dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_7");
        Directory.CreateDirectory(cgroup);
        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 1000000\nuser_usec 900000\n");
        tracker.Jobs(1, housekeeping: true, discover: false, machineBusySeconds: 10); // no walk between checkpoints
        Assert.Equal("1 of 4 CPUs allocated", job.CpuShareBasis);
        tracker.Jobs(2, housekeeping: true, discover: true, machineBusySeconds: 10);  // a job lacks its cgroup: walked

        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 3000000\nuser_usec 2700000\n");
        tracker.Jobs(3, housekeeping: true, discover: false, machineBusySeconds: 4);
        Assert.Equal(0.5, job.CpuShare, 9); // 2 s of the node's 4 busy seconds
        Assert.Equal("cgroup CPU time", job.CpuShareBasis);
    }

    [Fact]
    public void Records_read_once_are_not_read_again_at_the_next_checkpoint_when_nothing_changed()
    {
        var store = new JobRecordStore(_dir.Combine("state"));
        for (var j = 0; j < 3; j++)
        {
            store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = $"{10 + j}", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        }
        Directory.SetLastWriteTimeUtc(store.Directory, DateTime.UtcNow.AddMinutes(-1)); // written a while ago: the stamp can be trusted
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false" };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        using var tracker = new JobTracker(options, [], nodeCpus: 4, _ => { });

        Assert.Equal(3, tracker.Jobs(0, housekeeping: true, discover: true, machineBusySeconds: 10).Count);
        Assert.True(tracker.JobsChanged);
        tracker.Jobs(60, housekeeping: true, discover: true, machineBusySeconds: 10); // the next checkpoint looks at the directory
        Assert.False(tracker.JobsChanged);

        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "13", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        Directory.SetLastWriteTimeUtc(store.Directory, DateTime.UtcNow.AddSeconds(-30));
        Assert.Equal(4, tracker.Jobs(120, housekeeping: true, discover: true, machineBusySeconds: 10).Count);
    }

    public void Dispose() => _dir.Dispose();
}
