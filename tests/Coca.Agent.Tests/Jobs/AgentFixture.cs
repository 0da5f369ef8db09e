using Coca.Agent.Tests.Clock;
using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Jobs;

/// <summary>
/// An agent over fixture trees (sysfs, procfs, cgroups in a temp dir, the fake NVML), ticked by a stepped clock: for
/// the tests of what the agent learns about a job's activity.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class AgentFixture : IDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private readonly SysfsFixture _sysfs = SysfsFixture.TwoSocketXeon();
    private readonly PrologRecords _records;

    public AgentFixture(FakeNvml nvml, int gpus)
    {
        Nvml = nvml;
        for (var i = 0; i < gpus; i++) Nvml.Gpus.Add(FakeNvml.Gpu(i));
        Nvml.Write();
        Directory.CreateDirectory(Dir.Combine("proc", "sys", "kernel", "random"));
        File.WriteAllText(Dir.Combine("proc", "cpuinfo"), "processor\t: 0\n");
        File.WriteAllText(Dir.Combine("proc", "stat"), "cpu  10 0 10 100 0 0 0 0 0 0\n");
        File.WriteAllText(Dir.Combine("proc", "sys", "kernel", "random", "boot_id"), "6f1d0c7e-0000-4000-8000-000000000001\n");
        _records = new PrologRecords(Dir.Combine("state"));
    }

    public FakeNvml Nvml { get; }
    public TempDirectory Dir { get; } = new("coca-activity");
    public SteppedClock Clock { get; } = new(Start);
    public List<string> Log { get; } = [];

    /// <param name="adjust">Changes a test makes to the fixture's options (intervals, a server to push to).</param>
    public AgentHost Agent(Action<AgentOptions>? adjust = null)
    {
        var options = new AgentOptions
        {
            StateDirectory = Dir.Combine("state"),
            Listen = "127.0.0.1:0",
            CgroupRoot = Dir.Combine("cgroup"),
            Scontrol = "/bin/false",
            TimeProvider = Clock,
            CheckpointInterval = TimeSpan.FromSeconds(1),
            HousekeepingInterval = TimeSpan.FromSeconds(1),
            Sources = new Sources.SourceSetOptions { SysfsRoot = _sysfs.Root, ProcfsRoot = Dir.Combine("proc"), Gpu = { NvmlLibrary = Nvml.LibraryPath } },
        };
        adjust?.Invoke(options);
        return new AgentHost(options, line => { lock (Log) Log.Add(line); });
    }

    public void Prolog(string id, string gpus, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = id, ["SLURM_JOB_USER"] = "ada", ["SLURM_JOB_GPUS"] = gpus, ["SLURM_CPUS_ON_NODE"] = "1" };
        foreach (var (key, value) in more) env[key] = value;
        _records.WriteProlog(PrologEnvironment.Parse(env, Clock.GetUtcNow()));
    }

    public void Epilog(string id) => _records.WriteEpilog(id, Clock.GetUtcNow());

    /// <summary>A v2 job cgroup with these steps; <paramref name="pids"/> in its first step's <c>cgroup.procs</c>.</summary>
    public void Cgroup(string id, string[] steps, params int[] pids)
    {
        var job = Dir.Combine("cgroup", "system.slice", "slurmstepd.scope", "job_" + id);
        Directory.CreateDirectory(job);
        File.WriteAllText(Path.Combine(job, "cpu.stat"), "usage_usec 1000\n");
        foreach (var step in steps) Directory.CreateDirectory(Path.Combine(job, step));
        if (steps.Length > 0) File.WriteAllText(Path.Combine(job, steps[0], "cgroup.procs"), string.Concat(pids.Select(p => $"{p}\n")));
    }

    public void Maps(int pid, params string[] libraries)
    {
        Directory.CreateDirectory(Dir.Combine("proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Dir.Combine("proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "maps"),
            string.Concat(libraries.Select((l, i) => $"7f00{i:x4}0000-7f00{i:x4}1000 r-xp 00000000 fd:01 {100 + i}    {l}\n")));
    }

    /// <summary>Seconds of ticking, each GPU drawing <paramref name="watts"/> at its utilisation.</summary>
    public void Run(AgentHost agent, int seconds, uint watts = 100)
    {
        for (var t = 0; t < seconds; t++)
        {
            foreach (var gpu in Nvml.Gpus) gpu.EnergyMj += watts * 1000;
            Nvml.Write();
            Clock.Advance(TimeSpan.FromSeconds(1));
            agent.Tick();
        }
    }

    public void Dispose()
    {
        Dir.Dispose();
        _sysfs.Dispose();
    }
}
