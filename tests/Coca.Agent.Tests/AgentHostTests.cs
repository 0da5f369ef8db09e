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
    private AgentHost Agent(FakeTimeProvider clock, Action<string>? log = null, bool appendToOutput = false) => new(new AgentOptions
    {
        AppendReportToOutput = appendToOutput,
        StateDirectory = _dir.Combine("state"),
        Listen = "127.0.0.1:0",
        CgroupRoot = _dir.Combine("cgroup"),
        Scontrol = "/bin/false",
        TimeProvider = clock,
        Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = _dir.Combine("proc"), Gpu = { NvmlLibrary = _nvml.LibraryPath } },
    }, log ?? (_ => { }));

    // One GPU and a procfs of this many CPUs whose CPU time does not move.
    private void OneGpuNode(int cpus)
    {
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), string.Concat(Enumerable.Range(0, cpus).Select(i => $"processor\t: {i}\n")));
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
    }

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
        OneGpuNode(cpus: 1);
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

    [RootFact] // the agent's open as the job's user needs root, as on a node
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_finished_jobs_report_is_appended_to_its_output_file_as_its_user()
    {
        OneGpuNode(cpus: 1);
        var output = _dir.Combine("out", "slurm-43.out");
        Directory.CreateDirectory(_dir.Combine("out"));
        File.WriteAllText(output, "training done\n");
        foreach (var path in new[] { _dir.Path, _dir.Combine("out") }) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        using (var chown = System.Diagnostics.Process.Start("chown", ["nobody", output])) chown.WaitForExit();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new PrologRecords(_dir.Combine("state"));
        var job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "43", ["SLURM_JOB_USER"] = "nobody", ["SLURM_JOB_GPUS"] = "0", ["SLURM_CPUS_ON_NODE"] = "1", ["SLURM_JOB_STDOUT"] = output };
        store.WriteProlog(PrologEnvironment.Parse(job, clock.GetUtcNow()));
        var log = new List<string>();
        using var agent = Agent(clock, line => { lock (log) log.Add(line); }, appendToOutput: true);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }
        store.WriteEpilog("43", clock.GetUtcNow());
        var report = _dir.Combine("state", "reports", "43.txt");
        for (var i = 0; i < 100 && File.Exists(_dir.Combine("state", "jobs", "43.json")); i++)
        {
            await Task.Delay(50); // inotify tells the agent on a thread of its own
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }

        Assert.True(File.Exists(report), string.Join("\n", log));
        Assert.Equal("training done\n\n" + File.ReadAllText(report), File.ReadAllText(output));
        Assert.DoesNotContain(log, l => l.Contains("not appended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prolog_record_landing_after_its_energy_was_split_starts_the_job_at_that_split()
    {
        OneGpuNode(cpus: 2);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new PrologRecords(_dir.Combine("state"));
        var log = new List<string>();
        using var agent = Agent(clock, line => { lock (log) log.Add(line); });
        Dictionary<string, string> Job(string id) => new() { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_USER"] = "ada", ["SLURM_CPUS_ON_NODE"] = "1" };
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }

        // Job 7's Prolog stamps its time, then is slow to write; job 8's record lands first and closes a window.
        var stamped = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(1));
        store.WriteProlog(PrologEnvironment.Parse(Job("8"), clock.GetUtcNow()));
        var split = await TickUntilBooked(agent, clock, "8");
        store.WriteProlog(PrologEnvironment.Parse(Job("7"), stamped));
        await TickUntilBooked(agent, clock, "7");

        var books = Coca.Agent.State.StateFile.Read(_dir.Combine("state"))!;
        Assert.True(stamped.ToUnixTimeMilliseconds() / 1000.0 < split);
        Assert.Equal(split, books.Jobs["7"].Start, 3);
        Assert.Contains(log, l => l.StartsWith("job 7: its hook's record came", StringComparison.Ordinal));
        Assert.Equal(0, agent.Residual());
    }

    // Ticks a second at a time until the saved books hold the job (inotify tells the agent on a thread of its own);
    // returns the time of the tick that took it in.
    private async Task<double> TickUntilBooked(AgentHost agent, FakeTimeProvider clock, string id)
    {
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(50);
            clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
            if (agent.LastTickWasCheckpoint && Coca.Agent.State.StateFile.Read(_dir.Combine("state"))?.Jobs.ContainsKey(id) == true)
            {
                return clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            }
        }
        throw new TimeoutException($"the agent never took job {id} in");
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _dir.Dispose();
    }
}
