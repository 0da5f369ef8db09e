using System.Globalization;
using Coca.Slurm.Jobs;
using Coca.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Agent.Tests;

public sealed class AgentHostTests : IDisposable
{
    private readonly SysfsFixture _sysfs = SysfsFixture.TwoSocketXeon();
    private readonly FakeNvml _nvml = new() { ReloadMs = 60_000 };
    private readonly TempDirectory _dir = new("coca-host");

    [Fact]
    public void Ticks_between_checkpoints_allocate_nothing()
    {
        for (var i = 0; i < 4; i++) _nvml.Gpus.Add(FakeNvml.Gpu(i, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), "processor\t: 0\nprocessor\t: 1\n");
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        var store = new JobRecordStore(_dir.Combine("state"));
        for (var j = 0; j < 8; j++)
        {
            var id = (100 + j).ToString(CultureInfo.InvariantCulture);
            var cgroup = _dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_" + id);
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), "usage_usec 1000\n");
            store.WriteProlog(PrologEnvironment.Parse(new Dictionary<string, string> { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_GPUS"] = (j % 4).ToString(CultureInfo.InvariantCulture) }, DateTimeOffset.UtcNow));
        }
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var agent = new AgentHost(new AgentOptions
        {
            StateDirectory = _dir.Combine("state"),
            Listen = "127.0.0.1:0",
            CgroupRoot = _dir.Combine("cgroup"),
            Scontrol = "/bin/false",
            TimeProvider = clock,
            Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = _dir.Combine("proc"), Gpu = { NvmlLibrary = _nvml.LibraryPath } },
        }, _ => { });
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

    public void Dispose()
    {
        _sysfs.Dispose();
        _nvml.Dispose();
        _dir.Dispose();
    }
}
