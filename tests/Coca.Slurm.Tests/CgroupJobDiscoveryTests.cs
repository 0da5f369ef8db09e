using Coca.Slurm.Cgroups;
using Coca.TestSupport;

namespace Coca.Slurm.Tests;

public class CgroupJobDiscoveryTests
{
    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Finds_v2_jobs_and_reads_their_cpu_time()
    {
        using var root = new TempDirectory("coca-cgroup");
        Write(root.Combine("system.slice", "slurmstepd.scope", "job_12", "cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
        Write(root.Combine("system.slice", "slurmstepd.scope", "job_12", "step_batch", "cpu.stat"), "usage_usec 2400000\n");
        Write(root.Combine("system.slice", "slurmstepd.scope", "system", "cpu.stat"), "usage_usec 1\n");
        var job = Assert.Single(CgroupJobDiscovery.Discover(root.Path));
        Assert.Equal(("12", CgroupVersion.V2), (job.JobId, job.Version));
        Assert.Equal(2.5, job.CpuSeconds());
    }

    [Fact]
    public void Finds_jobs_under_a_node_named_slurmstepd_scope()
    {
        using var root = new TempDirectory("coca-cgroup");
        Write(root.Combine("system.slice", "gpu07_slurmstepd.scope", "job_99", "cpu.stat"), "usage_usec 10\n");
        Assert.Equal("99", Assert.Single(CgroupJobDiscovery.Discover(root.Path)).JobId);
    }

    [Fact]
    public void Finds_v1_jobs_by_uid_and_reads_cpuacct_nanoseconds()
    {
        using var root = new TempDirectory("coca-cgroup");
        Write(root.Combine("cpu,cpuacct", "slurm", "uid_1001", "job_7", "cpuacct.usage"), "3000000000\n");
        var job = Assert.Single(CgroupJobDiscovery.Discover(root.Path));
        Assert.Equal(("7", CgroupVersion.V1, 3.0), (job.JobId, job.Version, job.CpuSeconds()!.Value));
    }

    [Fact]
    public void Opaque_folders_are_resolved_through_their_processes_job_id()
    {
        using var root = new TempDirectory("coca-cgroup");
        using var proc = new TempDirectory("coca-proc");
        Write(root.Combine("system.slice", "slurmstepd.scope", "a1b2c3", "step_0", "cgroup.procs"), "4321\n");
        Write(root.Combine("system.slice", "slurmstepd.scope", "a1b2c3", "cpu.stat"), "usage_usec 5\n");
        Write(proc.Combine("4321", "environ"), "PATH=/bin\0SLURM_JOB_ID=555\0SLURM_STEP_ID=0\0");
        var job = Assert.Single(CgroupJobDiscovery.Discover(root.Path, proc.Path));
        Assert.Equal("555", job.JobId);
    }

    [Fact]
    public void No_cgroup_tree_means_no_jobs()
    {
        using var root = new TempDirectory("coca-cgroup");
        Assert.Empty(CgroupJobDiscovery.Discover(root.Path));
    }
}
