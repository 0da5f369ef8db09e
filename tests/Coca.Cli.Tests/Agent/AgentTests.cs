using Coca.Core.Attribution;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Agent;

/// <summary>The agent as a process, on fixture hardware, with jobs handed over by `coca slurm prolog|epilog`.</summary>
public sealed class AgentTests : IDisposable
{
    private readonly SysfsFixture _sysfs = new SysfsFixture()
        .Zone("intel-rapl:0", "package-0", 1_000_000)
        .Zone("intel-rapl:0:0", "dram", 0, maxPowerUw: null);
    private readonly FakeNvml _nvml = new();
    private readonly TempDirectory _dir = new("coca-agent");

    public AgentTests()
    {
        _nvml.Gpus.Add(FakeNvml.Gpu(0, 1_000));
        _nvml.Gpus.Add(FakeNvml.Gpu(1, 5_000));
        _nvml.Write();
        // A four-CPU node whose CPU time does not move: CPU shares come from the allocated CPUs.
        Directory.CreateDirectory(_dir.Combine("proc"));
        File.WriteAllText(_dir.Combine("proc", "cpuinfo"), string.Concat(Enumerable.Range(0, 4).Select(i => $"processor\t: {i}\nmodel name\t: Test CPU\nphysical id\t: 0\ncore id\t: {i}\n\n")));
        File.WriteAllText(_dir.Combine("proc", "stat"), "cpu  100 0 100 1000 0 0 0 0 0 0\n");
        File.WriteAllText(_dir.Combine("proc", "meminfo"), "MemTotal: 1000000 kB\n");
        Directory.CreateDirectory(_dir.Combine("cgroup"));
    }

    private string StateDir => _dir.Combine("state");

    private AgentProcess StartAgent() => new(
    [
        "--state-dir", StateDir, "--interval", "0.2", "--sysfs-root", _sysfs.Root, "--procfs-root", _dir.Combine("proc"),
        "--cgroup-root", _dir.Combine("cgroup"), "--nvml-lib", _nvml.LibraryPath, "--node", "testnode",
    ]);

    private static void Hook(string hook, string stateDir, Dictionary<string, string> env)
    {
        var r = CocaProcess.Run(["slurm", hook, "--state-dir", stateDir], env);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private ulong _gpuMj = 5_000;
    private ulong _packageUj = 1_000_000;

    // Every step: GPU 1 draws 100 W and the package 10 W for 0.3 s.
    private async Task DriveAsync(int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            await Task.Delay(300);
            _gpuMj += 30_000;
            _packageUj += 3_000_000;
            _nvml.Gpus[1].EnergyMj = _gpuMj;
            _nvml.Write();
            _sysfs.SetEnergy("intel-rapl:0", _packageUj);
        }
    }

    [Fact]
    public async Task A_node_without_a_meter_takes_other_from_a_calibration_and_its_books_balance()
    {
        var calibration = _dir.Combine("calibration.json");
        File.WriteAllText(calibration, """
            {"interval_s": 30, "nodes": [{"node": "n51", "samples": 40, "gap_pct": 16.0, "r2": 0.97, "mape_pct": 2.1,
              "model": {"intercept_w": 90, "cpu": 1.0, "gpu": 1.0}, "node_energy_j": 1000, "component_energy_j": 840}],
             "bad_frames": 0, "skipped_rows": 0}
            """);
        using var agent = new AgentProcess(
        [
            "--state-dir", StateDir, "--interval", "0.2", "--sysfs-root", _sysfs.Root, "--procfs-root", _dir.Combine("proc"),
            "--cgroup-root", _dir.Combine("cgroup"), "--nvml-lib", _nvml.LibraryPath, "--node", "testnode", "--calibration", calibration,
        ]);
        await agent.PortAsync();
        await DriveAsync(3);
        agent.Signal("TERM");
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("'other' comes from the calibration n51 model", agent.Log, StringComparison.Ordinal);
        var books = Coca.Agent.State.StateFile.Read(StateDir)!;
        Assert.Equal("model:calibration n51", books.NodeMeter!.Device);
        // With cpu = gpu = 1 the model adds only its 90 W intercept: other is 90 W over the compared ticks, all idle.
        Assert.True(books.NodeMeter.OtherUj > 0, "no other from the model");
        Assert.Equal(books.NodeMeter.OtherUj, books.Idle[Coca.Core.Units.ComponentKind.Other].Microjoules);
        Assert.Equal(0, books.Devices.Values.Sum(d => d.TotalUj) + books.NodeMeter.OtherUj - books.Placed().Microjoules);
    }

    [Fact]
    public async Task Killed_agent_resumes_from_the_counters_and_the_job_is_charged_exactly_once()
    {
        var job = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "201", ["SLURM_JOB_USER"] = "alice", ["SLURM_JOB_GPUS"] = "1", ["SLURM_CPUS_ON_NODE"] = "2", ["SLURMD_NODENAME"] = "testnode" };
        var first = StartAgent();
        await first.PortAsync();
        Hook("prolog", StateDir, job);
        await DriveAsync(4);
        first.Signal("KILL");
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        first.Dispose();
        await DriveAsync(3); // drawn while no agent runs

        using var second = StartAgent();
        await second.PortAsync();
        await DriveAsync(3);
        await Task.Delay(600);
        Hook("epilog", StateDir, job);
        var report = Path.Combine(StateDir, "reports", "201.json");
        var clock = Stopwatch.StartNew();
        // The report is written, then the books saved, then the Prolog/Epilog records removed: wait for the last step.
        while ((!File.Exists(report) || Directory.EnumerateFiles(Path.Combine(StateDir, "jobs")).Any()) && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        Assert.True(File.Exists(report), second.Log);

        var json = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        var energy = json.GetProperty("energy_j");
        Assert.Equal(300.0, energy.GetProperty("gpu").GetDouble(), 3);              // 10 steps × 30 J, 3 of them while the agent was down
        Assert.Equal(15.0, energy.GetProperty("cpu").GetDouble(), 3);               // 10 × 3 J × 2 of 4 CPUs
        Assert.Equal("measured", json.GetProperty("provenance").GetProperty("gpu").GetString());
        Assert.Contains("2 of 4 CPUs", json.GetProperty("cpu_share_basis").GetString());
        Assert.True(File.Exists(Path.Combine(StateDir, "reports", "201.txt")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(StateDir, "jobs")));

        var metrics = await second.MetricsAsync();
        Assert.Contains($"coca_device_energy_joules_total{{node=\"testnode\",device=\"{FakeNvml.Gpu(1).Uuid}\",kind=\"gpu\"}} 300\n", metrics);
        Assert.Contains("coca_job_energy_joules_total{job_id=\"201\",user=\"alice\",component=\"gpu\"} 300\n", metrics);
        second.Signal("TERM");
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    [PromtoolFact]
    public async Task Metrics_pass_promtool()
    {
        using var agent = StartAgent();
        await agent.PortAsync();
        Hook("prolog", StateDir, new Dictionary<string, string> { ["SLURM_JOB_ID"] = "7", ["SLURM_JOB_USER"] = "bob", ["SLURM_JOB_GPUS"] = "0" });
        await Task.Delay(600);
        var metrics = await agent.MetricsAsync();
        Assert.Contains("coca_job_energy_joules_total{job_id=\"7\"", metrics);
        Assert.Contains("# TYPE coca_device_power_watts gauge", metrics);

        var check = new ProcessStartInfo(PromtoolFactAttribute.Path, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(check)!;
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var problems = await promtool.StandardError.ReadToEndAsync() + await promtool.StandardOutput.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0 && problems.Trim().Length == 0, problems);
    }

    [Fact]
    public async Task Sigterm_stops_within_a_tick_and_saves_the_books()
    {
        using var agent = StartAgent();
        await agent.PortAsync();
        await Task.Delay(400);
        var stopping = Stopwatch.StartNew();
        agent.Signal("TERM");
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"stopped after {stopping.Elapsed}");
        Assert.Contains("state saved", agent.Log);
        Assert.NotNull(Coca.Agent.State.StateFile.Read(StateDir));
    }

    [Fact]
    public void Prolog_and_epilog_return_at_once_without_an_agent_and_refuse_a_missing_job_id()
    {
        var clock = Stopwatch.StartNew();
        Hook("prolog", StateDir, new Dictionary<string, string> { ["SLURM_JOB_ID"] = "55", ["SLURM_JOB_GPUS"] = "0,1" });
        Hook("epilog", StateDir, new Dictionary<string, string> { ["SLURM_JOB_ID"] = "55" });
        Assert.True(File.Exists(Path.Combine(StateDir, "jobs", "55.json")));
        Assert.True(File.Exists(Path.Combine(StateDir, "jobs", "55.end")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10)); // two process starts of `dotnet coca.dll`; the hook itself writes one file

        var bad = CocaProcess.Run(["slurm", "prolog", "--state-dir", StateDir]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("SLURM_JOB_ID", bad.Stderr);
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _nvml.Dispose();
        _dir.Dispose();
    }
}
