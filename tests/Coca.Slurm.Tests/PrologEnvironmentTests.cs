using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Slurm.Tests;

public class PrologEnvironmentTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Prolog_environment_becomes_a_job_record()
    {
        var env = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "4242",
            ["SLURM_JOB_USER"] = "alice",
            ["SLURM_JOB_UID"] = "1001",
            ["SLURM_JOB_GPUS"] = "0,2-3",
            ["CUDA_VISIBLE_DEVICES"] = "0,2,3",
            ["SLURMD_NODENAME"] = "gpu07",
            ["SLURM_JOB_PARTITION"] = "gpu",
            ["SLURM_CPUS_ON_NODE"] = "8",
            ["HOME"] = "/root",
        };
        var r = PrologEnvironment.Parse(env, Now);
        Assert.Equal(("4242", "alice", 1001, "gpu07"), (r.JobId, r.User, r.Uid!.Value, r.Node));
        Assert.Equal([0, 2, 3], r.GpuIndices);
        Assert.Equal(8, r.Cpus);
        Assert.Equal(Now, r.StartedAt);
        Assert.True(r.SlurmEnvironment.ContainsKey("SLURM_JOB_PARTITION"));
        Assert.False(r.SlurmEnvironment.ContainsKey("HOME"));
    }

    [Theory]
    [InlineData("4(x2),2", 4)]
    [InlineData("16", 16)]
    public void Cpus_per_node_takes_this_nodes_count(string value, int expected)
    {
        var r = PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "1", ["SLURM_JOB_CPUS_PER_NODE"] = value }, Now);
        Assert.Equal(expected, r.Cpus);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("../../etc/passwd")]
    public void Missing_or_strange_job_id_is_refused(string? id)
    {
        var env = new Dictionary<string, string>();
        if (id is not null) env["SLURM_JOB_ID"] = id;
        Assert.Throws<ArgumentException>(() => PrologEnvironment.Parse(env, Now));
    }

    [Fact]
    public void Records_round_trip_and_the_epilog_adds_the_end()
    {
        using var dir = new TempDirectory();
        var store = new PrologRecords(dir.Path);
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "7", ["SLURM_JOB_USER"] = "bob", ["SLURM_JOB_GPUS"] = "1" }, Now));
        Assert.Null(Assert.Single(store.ReadAll()).EndedAt);
        store.WriteEpilog("7", Now.AddMinutes(5));
        var r = Assert.Single(store.ReadAll());
        Assert.Equal(Now.AddMinutes(5), r.EndedAt);
        Assert.Equal([1], r.GpuIndices);
        Assert.Empty(Directory.EnumerateFiles(store.Directory, "*.tmp-*"));
        store.Remove("7");
        Assert.Empty(store.ReadAll());
    }

    [Fact]
    public void A_corrupt_record_is_reported_and_the_others_are_read()
    {
        using var dir = new TempDirectory();
        var store = new PrologRecords(dir.Path);
        store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "1" }, Now));
        File.WriteAllText(Path.Combine(store.Directory, "2.json"), "{ not json");
        var problems = new List<string>();
        Assert.Single(store.ReadAll(problems));
        Assert.Contains("2.json", Assert.Single(problems));
    }
}
