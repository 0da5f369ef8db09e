using System.Globalization;
using Coca.Slurm.Jobs;
using Coca.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Agent.Tests;

[Collection(NvmlCollection.Name)]
public sealed class AgentHostTests(NvmlCollection.Library library) : IDisposable
{
    private readonly SysfsFixture _sysfs = SysfsFixture.TwoSocketXeon();
    private readonly FakeNvml _nvml = library.Fresh();
    private readonly TempDirectory _dir = new("coca-host");

    // An agent on the fixture node, on a simulated clock, with no scontrol to ask.
    private AgentHost Agent(FakeTimeProvider clock) => new(new AgentOptions
    {
        StateDirectory = _dir.Combine("state"),
        Listen = "127.0.0.1:0",
        CgroupRoot = _dir.Combine("cgroup"),
        Scontrol = "/bin/false",
        TimeProvider = clock,
        Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = _dir.Combine("proc"), Gpu = { NvmlLibrary = _nvml.LibraryPath } },
    }, _ => { });

    [Fact]
    public void Ticks_between_checkpoints_allocate_nothing()
    {
        for (var i = 0; i < 4; i++) _nvml.Gpus.Add(FakeNvml.Gpu(i, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), "processor\t: 0\nprocessor\t: 1\n");
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        var store = new PrologRecords(_dir.Combine("state"));
        for (var j = 0; j < 8; j++)
        {
            var id = (100 + j).ToString(CultureInfo.InvariantCulture);
            var cgroup = _dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_" + id);
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 1000\n");
            store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_GPUS"] = (j % 4).ToString(CultureInfo.InvariantCulture) }, DateTimeOffset.UtcNow));
        }
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var agent = Agent(clock);
        for (var i = 0; i < 70; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }
        var measured = 0;
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var before = GC.GetAllocatedBytesForCurrentThread();
            agent.Tick();
            if (agent.LastTickWasCheckpoint) continue; // the minute's save serialises the books
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            measured++;
        }
        Assert.True(measured >= 45);
        Assert.Equal(0, agent.Residual());
    }

    [Fact]
    public async Task Job_whose_epilog_record_arrives_after_later_ticks_is_still_finished()
    {
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), "processor\t: 0\n");
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new PrologRecords(_dir.Combine("state"));
        var job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "42", ["SLURM_JOB_USER"] = "ada", ["SLURM_JOB_GPUS"] = "0", ["SLURM_CPUS_ON_NODE"] = "1" };
        store.WriteProlog(PrologEnvironment.Parse(job, clock.GetUtcNow()));
        using var agent = Agent(clock);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }

        // The Epilog took its time three ticks before its record reached the agent.
        var ended = clock.GetUtcNow().AddSeconds(-3);
        store.WriteEpilog("42", ended);
        var report = _dir.Combine("state", "reports", "42.json");
        for (var i = 0; i < 100 && !File.Exists(report); i++)
        {
            await Task.Delay(50); // inotify tells the agent on a thread of its own
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }

        Assert.True(File.Exists(report), "no report for a job whose end was recorded late");
        var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.Equal(ended.ToUnixTimeMilliseconds(), written.GetProperty("end").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.False(File.Exists(_dir.Combine("state", "jobs", "42.json")));
        Assert.Equal(0, agent.Residual());
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _dir.Dispose();
    }
}
