using Coca.Agent.Jobs;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Jobs;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class JobTrackerTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-tracker");

    [Fact]
    public void Cgroup_that_appears_after_the_prolog_is_found_at_the_next_checkpoint_and_then_gives_the_share()
    {
        var store = new PrologRecords(_dir.Combine("state"));
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "7", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false" };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        using var tracker = NewTracker(options);

        var job = Assert.Single(tracker.Jobs(0, 0, housekeeping: true, discover: true, machineBusySeconds: 10));
        Assert.Equal(0.25, job.CpuShare);
        Assert.Equal("1 of 4 CPUs allocated", job.CpuShareBasis);

        // slurmstepd makes the job's cgroup at its first step, after the Prolog.
        var cgroup = _dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_7");
        Directory.CreateDirectory(cgroup);
        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 1000000\nuser_usec 900000\n");
        tracker.Jobs(1, 1, housekeeping: true, discover: false, machineBusySeconds: 10); // no walk between checkpoints
        Assert.Equal("1 of 4 CPUs allocated", job.CpuShareBasis);
        tracker.Jobs(2, 2, housekeeping: true, discover: true, machineBusySeconds: 10);  // a job lacks its cgroup: walked

        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 3000000\nuser_usec 2700000\n");
        tracker.Jobs(3, 3, housekeeping: true, discover: false, machineBusySeconds: 4);
        Assert.Equal(0.5, job.CpuShare, 9); // 2 s of the node's 4 busy seconds
        Assert.Equal("cgroup CPU time", job.CpuShareBasis);
    }

    [Fact]
    public void Records_read_once_are_not_read_again_at_the_next_checkpoint_when_nothing_changed()
    {
        var store = new PrologRecords(_dir.Combine("state"));
        for (var j = 0; j < 3; j++)
        {
            store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = $"{10 + j}", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        }
        Directory.SetLastWriteTimeUtc(store.Directory, DateTime.UtcNow.AddMinutes(-1)); // written a while ago: the stamp can be trusted
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false" };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        using var tracker = NewTracker(options);

        Assert.Equal(3, tracker.Jobs(0, 0, housekeeping: true, discover: true, machineBusySeconds: 10).Count);
        Assert.True(tracker.JobsChanged);
        tracker.Jobs(60, 60, housekeeping: true, discover: true, machineBusySeconds: 10); // the next checkpoint looks at the directory
        Assert.False(tracker.JobsChanged);

        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "13", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.UtcNow));
        Directory.SetLastWriteTimeUtc(store.Directory, DateTime.UtcNow.AddSeconds(-30));
        Assert.Equal(4, tracker.Jobs(120, 120, housekeeping: true, discover: true, machineBusySeconds: 10).Count);
    }

    [Fact]
    public void A_job_whose_cgroup_went_and_whose_epilog_never_came_ends_when_the_cgroup_went()
    {
        var store = new PrologRecords(_dir.Combine("state"));
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "21", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.FromUnixTimeSeconds(1000)));
        var cgroup = _dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_21");
        Directory.CreateDirectory(cgroup);
        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 1000000\n");
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false", EpilogGrace = TimeSpan.FromSeconds(60) };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        var log = new List<string>();
        using var tracker = NewTracker(options, log.Add);
        var job = Assert.Single(tracker.Jobs(1000, 1001, housekeeping: true, discover: true, machineBusySeconds: 10));

        Directory.Delete(cgroup, recursive: true); // the job ended; its Epilog could not write (a full disk)
        tracker.Jobs(1030, 1030, housekeeping: true, discover: true, machineBusySeconds: 10);
        Assert.Equal(double.PositiveInfinity, job.To); // the Epilog may still come
        tracker.Jobs(1100, 1100, housekeeping: true, discover: true, machineBusySeconds: 10);
        Assert.Equal(1030, job.To);
        Assert.Single(log, l => l.Contains("cgroup went away", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_without_cgroup_or_epilog_is_ended_once_scontrol_says_it_is_over()
    {
        var store = new PrologRecords(_dir.Combine("state"));
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "22", ["SLURM_CPUS_ON_NODE"] = "1" }, DateTimeOffset.FromUnixTimeSeconds(1000)));
        var scontrol = _dir.Combine("scontrol");
        File.WriteAllText(scontrol, "#!/bin/sh\necho 'JobId=22 JobName=x JobState=RUNNING NumCPUs=1'\n");
        File.SetUnixFileMode(scontrol, (UnixFileMode)0b111_101_101);
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = scontrol, EpilogGrace = TimeSpan.FromSeconds(60) };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        var log = new List<string>();
        using var tracker = NewTracker(options, log.Add);
        var job = Assert.Single(tracker.Jobs(1000, 1001, housekeeping: true, discover: true, machineBusySeconds: 10));
        tracker.Jobs(1100, 1100, housekeeping: true, discover: true, machineBusySeconds: 10);
        Assert.Equal(double.PositiveInfinity, job.To); // running, says Slurm

        File.WriteAllText(scontrol, "#!/bin/sh\necho 'JobId=22 JobName=x JobState=COMPLETED NumCPUs=1'\n");
        tracker.Jobs(1200, 1200, housekeeping: true, discover: true, machineBusySeconds: 10);
        Assert.Equal(double.PositiveInfinity, job.To); // asked ten minutes ago: not again yet
        tracker.Jobs(1800, 1800, housekeeping: true, discover: true, machineBusySeconds: 10);
        Assert.Equal(1800, job.To);
        Assert.Single(log, l => l.Contains("Slurm says it is over", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_record_is_logged_once_not_at_every_read()
    {
        var store = new PrologRecords(_dir.Combine("state"));
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(Path.Combine(store.Directory, "31.json"), "{ not json");
        var options = new AgentOptions { StateDirectory = _dir.Combine("state"), CgroupRoot = _dir.Combine("cgroup"), Scontrol = "/bin/false" };
        options.Sources.ProcfsRoot = _dir.Combine("proc");
        var log = new List<string>();
        using var tracker = NewTracker(options, log.Add);
        for (var t = 0; t < 3; t++)
        {
            File.SetLastWriteTimeUtc(Path.Combine(store.Directory, "31.json"), DateTime.UtcNow); // as if rewritten: read again
            Directory.SetLastWriteTimeUtc(store.Directory, DateTime.UtcNow.AddMinutes(-t - 1));
            tracker.Jobs(t * 60, t * 60, housekeeping: true, discover: true, machineBusySeconds: 10);
        }
        Assert.Single(log, l => l.Contains("31.json", StringComparison.Ordinal));
    }

    private static JobTracker NewTracker(AgentOptions options, Action<string>? log = null) =>
        new(options, [], nodeCpus: 4, log ?? (_ => { }), new Coca.Core.Attribution.Books(), t => t.ToUnixTimeMilliseconds() / 1000.0, () => double.NaN, _ => { });

    public void Dispose() => _dir.Dispose();
}
