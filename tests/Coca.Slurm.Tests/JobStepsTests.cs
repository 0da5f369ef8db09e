using Coca.Slurm.Cgroups;
using Coca.TestSupport;

namespace Coca.Slurm.Tests;

public sealed class JobStepsTests : IDisposable
{
    private readonly TempDirectory _root = new("coca-cgroup");

    private JobCgroup Job(params string[] steps)
    {
        var path = _root.Combine("system.slice", "slurmstepd.scope", "job_12");
        Directory.CreateDirectory(path);
        foreach (var step in steps) Directory.CreateDirectory(Path.Combine(path, step));
        return Assert.Single(CgroupJobDiscovery.Discover(_root.Path));
    }

    [Fact]
    public void A_batch_step_is_batch_even_with_numbered_steps_beside_it()
    {
        Assert.False(JobSteps.Interactive(Job("step_extern", "step_batch", "step_0"), multiNode: false));
        Assert.False(JobSteps.Interactive(Job("step_batch"), multiNode: true));
    }

    [Fact]
    public void An_interactive_step_or_only_numbered_steps_is_interactive()
    {
        Assert.True(JobSteps.Interactive(Job("step_extern", "step_interactive"), multiNode: false));
        using var other = new TempDirectory("coca-cgroup");
        Directory.CreateDirectory(other.Combine("system.slice", "slurmstepd.scope", "job_13", "step_0"));
        Assert.True(JobSteps.Interactive(Assert.Single(CgroupJobDiscovery.Discover(other.Path)), multiNode: false));
    }

    [Fact]
    public void No_step_yet_or_numbered_steps_on_a_node_of_a_multi_node_job_is_not_known()
    {
        Assert.Null(JobSteps.Interactive(Job("step_extern"), multiNode: false));
        Assert.Null(JobSteps.Interactive(Job("step_extern", "step_0"), multiNode: true)); // its batch step may be on another node
        Assert.Null(JobSteps.Interactive(new JobCgroup("1", _root.Combine("gone"), CgroupVersion.V2), multiNode: false));
    }

    [Fact]
    public void Processes_of_every_step_are_listed_and_a_missing_folder_lists_none()
    {
        var job = Job("step_batch", "step_0");
        File.WriteAllText(Path.Combine(job.Path, "cgroup.procs"), "");
        File.WriteAllText(Path.Combine(job.Path, "step_batch", "cgroup.procs"), "101\n102\n");
        Directory.CreateDirectory(Path.Combine(job.Path, "step_0", "user", "task_0"));
        File.WriteAllText(Path.Combine(job.Path, "step_0", "user", "task_0", "cgroup.procs"), "201\nnot-a-pid\n");
        Assert.Equal([101, 102, 201], JobSteps.Processes(job).Order());
        Assert.Empty(JobSteps.Processes(new JobCgroup("1", _root.Combine("gone"), CgroupVersion.V2)));
    }

    public void Dispose() => _root.Dispose();
}
