using System.Text.Json;
using Coca.Agent.Tests.Clock;
using Coca.Core.Ingest;
using Coca.Core.Units;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Agent.Tests;

/// <summary>The agent under faults (issue 12): wall-clock steps, a full reports directory, requeues, restarts, file modes.</summary>
[Collection(NvmlCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentHostFaultTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private readonly SysfsFixture _sysfs = SysfsFixture.TwoSocketXeon();
    private readonly FakeNvml _nvml;
    private readonly TempDirectory _dir = new("coca-faults");
    private readonly SteppedClock _clock = new(Start);
    private readonly List<string> _log = [];
    private readonly PrologRecords _records;

    public AgentHostFaultTests(NvmlCollection.Library library)
    {
        _nvml = library.Fresh();
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("proc", "sys", "kernel", "random"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), "processor\t: 0\n");
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        File.WriteAllText(_dir.Combine("proc", "sys", "kernel", "random", "boot_id"), "6f1d0c7e-0000-4000-8000-000000000001\n");
        _records = new PrologRecords(_dir.Combine("state"));
    }

    private AgentHost Agent(Action<AgentOptions>? configure = null)
    {
        var options = new AgentOptions
        {
            StateDirectory = _dir.Combine("state"),
            Listen = "127.0.0.1:0",
            CgroupRoot = _dir.Combine("cgroup"),
            Scontrol = "/bin/false",
            TimeProvider = _clock,
            CheckpointInterval = TimeSpan.FromSeconds(1),
            HousekeepingInterval = TimeSpan.FromSeconds(1),
            Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = _dir.Combine("proc"), Gpu = { NvmlLibrary = _nvml.LibraryPath } },
        };
        configure?.Invoke(options);
        lock (_log) return new AgentHost(options, line => { lock (_log) _log.Add(line); });
    }

    private void Prolog(string id) => _records.WriteProlog(PrologEnvironment.Parse(
        new Dictionary<string, string> { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_USER"] = "ada", ["SLURM_JOB_GPUS"] = "0", ["SLURM_CPUS_ON_NODE"] = "1" }, _clock.GetUtcNow()));

    // One second: the GPU draws a joule, then the agent ticks.
    private void Second(AgentHost agent)
    {
        _nvml.Gpus[0].EnergyMj += 1000;
        _nvml.Write();
        _clock.Advance(TimeSpan.FromSeconds(1));
        agent.Tick();
    }

    private static long GpuUj(AgentHost agent, string job) => agent.Books.Jobs[job].Energy[ComponentKind.Gpu].Microjoules;
    private static long DeviceUj(AgentHost agent) => agent.Books.Devices.Single(d => d.Key.StartsWith("gpu:", StringComparison.Ordinal)).Value.TotalUj;

    [Fact]
    public void Wall_clock_steps_back_and_forth_while_running_lose_no_energy()
    {
        Prolog("42");
        using var agent = Agent();
        for (var t = 0; t < 30; t++)
        {
            if (t == 10) _clock.StepWall(TimeSpan.FromSeconds(-60));
            if (t == 20) _clock.StepWall(TimeSpan.FromHours(1));
            Second(agent);
        }
        Assert.Equal(29_000_000, DeviceUj(agent));
        Assert.Equal(DeviceUj(agent), GpuUj(agent, "42"));
        Assert.Single(_log, l => l.Contains("stepped -60", StringComparison.Ordinal));
    }

    [Fact]
    public void Wall_clock_stepped_back_while_the_agent_was_down_loses_no_energy()
    {
        Prolog("42");
        using (var first = Agent())
        {
            for (var t = 0; t < 5; t++) Second(first);
        }
        _nvml.Gpus[0].EnergyMj += 400_000; // 400 J while the agent was down
        _nvml.Write();
        _clock.Advance(TimeSpan.FromSeconds(400));
        _clock.StepWall(TimeSpan.FromHours(-1));
        using var second = Agent();
        for (var t = 0; t < 5; t++) Second(second);
        Assert.Equal(409_000_000, DeviceUj(second));
        Assert.Equal(DeviceUj(second), GpuUj(second, "42"));
    }

    [Fact]
    public void A_report_that_cannot_be_written_is_written_later_and_never_as_zero()
    {
        Prolog("42");
        using var agent = Agent();
        for (var t = 0; t < 5; t++) Second(agent);
        var reports = _dir.Combine("state", "reports");
        Directory.Delete(reports);
        File.WriteAllText(reports, "in the way"); // writes fail as on a full disk
        _records.WriteEpilog("42", _clock.GetUtcNow());
        for (var t = 0; t < 5; t++) Second(agent);
        Assert.False(agent.Books.Jobs["42"].Final);
        Assert.Single(_log, l => l.Contains("report cannot be written", StringComparison.Ordinal));

        File.Delete(reports);
        Directory.CreateDirectory(reports);
        for (var t = 0; t < 3; t++) Second(agent);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "42.json"))).RootElement;
        Assert.Equal(GpuUj(agent, "42") / 1e6, report.GetProperty("energy_j").GetProperty("gpu").GetDouble());
        Assert.True(GpuUj(agent, "42") >= 4_000_000);
        Assert.True(agent.Books.Jobs["42"].Final);
        Assert.False(File.Exists(Path.Combine(_records.Directory, "42.json")));
    }

    [Fact]
    public void A_requeued_job_id_starts_a_new_book_instead_of_adding_to_the_final_one()
    {
        Prolog("42");
        using var agent = Agent();
        for (var t = 0; t < 10; t++) Second(agent);
        _records.WriteEpilog("42", _clock.GetUtcNow());
        for (var t = 0; t < 3; t++) Second(agent);
        Assert.True(agent.Books.Jobs["42"].Final);
        var first = GpuUj(agent, "42");

        Prolog("42"); // Slurm requeued it: same id, a new run
        var before = DeviceUj(agent);
        for (var t = 0; t < 5; t++) Second(agent);
        Assert.False(agent.Books.Jobs["42"].Final);
        Assert.Equal(DeviceUj(agent) - before, GpuUj(agent, "42"));
        Assert.True(first > GpuUj(agent, "42"));
        Assert.Equal(0, agent.Residual());
    }

    [Fact]
    public void Each_agent_run_numbers_its_batches_under_a_new_incarnation_after_every_waiting_batch()
    {
        Prolog("42");
        var spool = _dir.Combine("state", "spool");
        void Configure(AgentOptions o)
        {
            o.Server = new Uri("http://127.0.0.1:9/");
            o.Token = "t";
            o.PushInterval = TimeSpan.FromSeconds(1);
        }
        using (var first = Agent(Configure))
        {
            for (var t = 0; t < 3; t++) Second(first);
        }
        var before = Batches(spool);
        // A SIGKILL after the last batch was spooled and before the books were saved: the books are a batch behind.
        File.Delete(Path.Combine(spool, before[^1].Sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + ".json"));
        var lost = before[^1];
        before = Batches(spool);
        File.WriteAllText(Path.Combine(spool, lost.Sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + ".json"), JsonSerializer.Serialize(lost, IngestJsonContext.Default.IngestBatch));
        foreach (var slot in Directory.GetFiles(_dir.Combine("state"), "agent-state.*")) File.Delete(slot); // and the books reset

        using (var second = Agent(Configure))
        {
            Second(second);
        }
        var after = Batches(spool);
        var incarnations = after.Select(b => b.Incarnation).Distinct().ToList();
        Assert.Equal(2, incarnations.Count);
        Assert.All(incarnations, i => Assert.True(IngestBatch.IsValidIncarnation(i) && i is not null));
        var newer = after.Where(b => b.Incarnation != before[0].Incarnation).ToList();
        Assert.True(newer.Min(b => b.Sequence) > lost.Sequence);
    }

    [Fact]
    public void Records_books_spool_and_reports_are_root_only()
    {
        Prolog("42");
        using (var agent = Agent(o => { o.Server = new Uri("http://127.0.0.1:9/"); o.Token = "t"; }))
        {
            for (var t = 0; t < 3; t++) Second(agent);
            _records.WriteEpilog("42", _clock.GetUtcNow());
            for (var t = 0; t < 3; t++) Second(agent);
        }
        const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var dir in new[] { "jobs", "reports", "spool" }) Assert.Equal(Directory0700, File.GetUnixFileMode(_dir.Combine("state", dir)));
        // With a server, the job metrics' drop box (1733) sits inside: the state directory is traversable (0711), never listable.
        Assert.Equal(Directory0700 | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(_dir.Combine("state")));
        var files = Directory.GetFiles(_dir.Combine("state"), "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("42.txt", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".jsonl", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal((f, File0600), (f, File.GetUnixFileMode(f))));
    }

    [Fact]
    public void A_gpu_lost_mid_job_is_logged_once_exported_and_lowers_the_jobs_coverage()
    {
        Prolog("42");
        using var agent = Agent();
        for (var t = 0; t < 10; t++) Second(agent);
        Assert.Contains("coca_gpu_lost{", agent.MetricsText(), StringComparison.Ordinal);
        Assert.Contains("} 0\n", agent.MetricsText(), StringComparison.Ordinal);
        _nvml.Gpus[0].Lost = true;
        for (var t = 0; t < 10; t++) Second(agent);
        Assert.Single(_log, l => l.Contains("is lost", StringComparison.Ordinal));
        Assert.Matches("coca_gpu_lost\\{[^}]*\\} 1\n", agent.MetricsText());
        var now = agent.Books.TakenAt;
        var coverage = agent.Books.Jobs["42"].Coverage(now);
        Assert.InRange(coverage, 0.4, 0.6);
    }

    private static List<IngestBatch> Batches(string spool) =>
        [.. Directory.GetFiles(spool, "*.json").Order(StringComparer.Ordinal).Select(f => JsonSerializer.Deserialize(File.ReadAllText(f), IngestJsonContext.Default.IngestBatch)!)];

    public void Dispose()
    {
        _sysfs.Dispose();
        _dir.Dispose();
    }
}
