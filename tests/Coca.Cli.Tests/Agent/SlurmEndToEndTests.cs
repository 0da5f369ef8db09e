using Coca.Core.Attribution;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coca.TestSupport;
using Xunit.Abstractions;

namespace Coca.Cli.Tests.Agent;

/// <summary>
/// The real Slurm (Debian's slurm-wlm) on this host with four fake GPUs: overlapping sbatch jobs, Prolog and
/// Epilog calling coca, the agent on fixture RAPL and the NVML test library. Each job's GPU and CPU energy
/// must match what the simulated counters said over its span within 1 %, and the books must balance exactly. The agent
/// has a server to push to: what one job's script reported (<c>coca metric</c>, and the Python package's
/// <c>log_metric</c> where Debian's python3 is) must be in that job's batch.
/// Runs alone (no other test class in parallel) so that the simulated RAPL counter keeps to its clock.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const double PackageWatts = 10;
    private readonly TempDirectory _dir = new("coca-slurm");
    private readonly SysfsFixture _sysfs = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0).Zone("intel-rapl:0:0", "dram", 0, maxPowerUw: null);
    private readonly FakeNvml _nvml = new();
    private readonly string _scripts = FindScripts();

    private void Setup()
    {
        for (var i = 0; i < 4; i++) _nvml.Gpus.Add(FakeNvml.Gpu(i, 0));
        _nvml.Write();
        Directory.CreateDirectory(_dir.Combine("cgroup"));
    }

    private string Cluster => _dir.Combine("cluster");
    private string StateDir => _dir.Combine("state");
    private string Truth => _dir.Combine("truth.txt");

    [SlurmFact]
    public async Task Overlapping_gpu_jobs_are_charged_what_their_gpus_consumed_and_the_books_balance()
    {
        Setup();
        // A server nobody answers for: the batches stay in the spool, where the test reads what the job reported.
        File.WriteAllText(_dir.Combine("token"), "t\n");
        var url = "http://127.0.0.1:9/";
        using var agent = new AgentProcess(["--state-dir", StateDir, "--interval", "0.2", "--sysfs-root", _sysfs.Root, "--cgroup-root", _dir.Combine("cgroup"),
            "--nvml-lib", _nvml.LibraryPath, "--node", "e2e", "--server", url, "--token-file", _dir.Combine("token"), "--push-interval", "0.5"]);
        await agent.PortAsync();
        using var stopPackage = new CancellationTokenSource();
        var package = new Thread(() => DrivePackage(stopPackage.Token)) { IsBackground = true, Priority = ThreadPriority.Highest, Name = "rapl-driver" };
        package.Start();
        try
        {
            var coca = $"{DotnetPath()} {CocaProcess.Dll}";
            Run(Path.Combine(_scripts, "start-cluster.sh"), Cluster, coca, StateDir);

            var a = Submit("--gres=gpu:2", 12, 30_000, ReportMetrics());  // 2 GPUs at 100 W for 3.6 s, then its metrics
            var b = Submit("--gres=gpu:1", 15, 60_000);  // 1 GPU at 200 W for 4.5 s, at the same time
            await WaitUntil(() => Squeue().Length == 0, TimeSpan.FromSeconds(90), "jobs to finish");
            var reports = new Dictionary<string, JsonElement>();
            await WaitUntil(() =>
            {
                foreach (var id in new[] { a, b })
                {
                    var path = Path.Combine(StateDir, "reports", id + ".json");
                    if (File.Exists(path)) reports[id] = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
                }
                return reports.Count == 2;
            }, TimeSpan.FromSeconds(30), "job reports\n" + agent.Log);

            var truth = File.ReadAllLines(Truth).Select(l => l.Split(' ')).ToDictionary(f => f[0], f => (Gpus: f[1].Split(',').Length, MjPerGpu: double.Parse(f[2], CultureInfo.InvariantCulture)));
            foreach (var id in new[] { a, b })
            {
                var report = reports[id];
                var gpuTruth = truth[id].Gpus * truth[id].MjPerGpu / 1000;
                var gpu = report.GetProperty("energy_j").GetProperty("gpu").GetDouble();
                Assert.True(Math.Abs(gpu - gpuTruth) <= 0.01 * gpuTruth, $"job {id}: GPU {gpu} J, truth {gpuTruth} J\n{agent.Log}");
                Assert.Equal(truth[id].Gpus, report.GetProperty("gpus").GetArrayLength());

                var seconds = (report.GetProperty("end").GetDateTimeOffset() - report.GetProperty("start").GetDateTimeOffset()).TotalSeconds;
                var basis = report.GetProperty("cpu_share_basis").GetString()!;
                Assert.StartsWith("1 of 2 CPUs", basis);
                // Exact by construction: half of what the package counter said between the job's start and end, as
                // written (a driver thread paused by a busy machine moves the truth with the counter, not away from it).
                var cpuTruth = 0.5 * (PackageAt(report.GetProperty("end").GetDateTimeOffset()) - PackageAt(report.GetProperty("start").GetDateTimeOffset()));
                var cpu = report.GetProperty("energy_j").GetProperty("cpu").GetDouble();
                output.WriteLine($"job {id}: {truth[id].Gpus} GPU(s), GPU {gpu:0.###} J (truth {gpuTruth:0.###} J), CPU {cpu:0.###} J (truth {cpuTruth:0.###} J over {seconds:0.###} s, {basis})");
                // The file the agent reads is as old as the driver's last write: at each edge the counter may lag by up
                // to the driver's longest pause, and the two lags offset each other but for at most one pause's energy.
                var lag = 0.5 * PackageWatts * _longestPause.TotalSeconds;
                Assert.True(Math.Abs(cpu - cpuTruth) <= 0.01 * cpuTruth + lag,
                    $"job {id}: CPU {cpu} J, truth {cpuTruth} J over {seconds} s (what the counter said); the simulated counter's longest pause was {_longestPause.TotalMilliseconds:0} ms\n{agent.Log}");
            }
            Assert.True(reports[a].GetProperty("start").GetDateTimeOffset() < reports[b].GetProperty("end").GetDateTimeOffset()
                && reports[b].GetProperty("start").GetDateTimeOffset() < reports[a].GetProperty("end").GetDateTimeOffset(), "the two jobs did not overlap");
            Assert.Equal("root", reports[a].GetProperty("user").GetString());

            // The job's metrics went into its batch (the server's side, batch to job_metrics, is Coca.Server.Tests' IngestMetricsTests).
            var metrics = Directory.GetFiles(Path.Combine(StateDir, "spool"), "*.json")
                .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Array ? m.EnumerateArray().ToList() : [])
                .Select(m => (m.GetProperty("job_id_raw").GetString(), m.GetProperty("name").GetString(), m.GetProperty("value").GetDouble(), m.GetProperty("step").GetInt64())).ToList();
            Assert.Contains((a, "accuracy", 0.91, 1L), metrics);
            if (File.Exists(Python)) Assert.Contains((a, "loss", 0.25, 2L), metrics);

            agent.Signal("TERM");
            Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            var residual = Residual(Coca.Agent.State.StateFile.Read(StateDir) ?? throw new InvalidOperationException("no books saved"));
            output.WriteLine($"books: residual {residual} µJ");
            Assert.Equal(0, residual);
        }
        finally
        {
            await stopPackage.CancelAsync();
            package.Join();
            Run(Path.Combine(_scripts, "stop-cluster.sh"), Cluster);
        }
    }

    // Devices' totals minus everything placed: the agent's books for this node, to the microjoule.
    private static long Residual(Coca.Core.Attribution.Books state) => state.Devices.Values.Sum(d => d.TotalUj) - state.Placed().Microjoules;

    private string Submit(string gres, int steps, int deltaMj, string then = "")
    {
        var output = Run("sbatch", "--parsable", gres, "--cpus-per-task=1", "-o", _dir.Combine("job-%j.out"),
            "--wrap", $"sh {Path.Combine(_scripts, "gpu-job.sh")} {_nvml.StatePath} {steps} {deltaMj} {Truth}{then}");
        return output.Trim().Split(';')[0];
    }

    private const string Python = "/usr/bin/python3";

    // What the job's script does after its work: coca metric, and the Python package's log_metric (through COCA_BIN).
    private string ReportMetrics()
    {
        var coca = _dir.Combine("coca");
        File.WriteAllText(coca, $"#!/bin/sh\nexec {DotnetPath()} '{CocaProcess.Dll}' \"$@\"\n");
        File.SetUnixFileMode(coca, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var then = $"; {coca} metric accuracy=0.91 --step 1 --state-dir {StateDir}";
        if (!File.Exists(Python)) return then;
        var package = Path.Combine(_scripts, "..", "..", "..", "python", "src");
        return then + $"; COCA_BIN={coca} COCA_AGENT_STATE_DIR={StateDir} PYTHONPATH={package} PYTHONDONTWRITEBYTECODE=1 {Python} -c 'import coca4ai; assert coca4ai.log_metric(\"loss\", 0.25, step=2)'";
    }

    private string[] Squeue() => Run("squeue", "-h", "-o", "%i").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private TimeSpan _longestPause;
    private readonly List<(DateTimeOffset At, double Joules)> _packageWrites = [];

    // The package counter at a wall-clock time, from what the driver wrote (linear between two writes).
    private double PackageAt(DateTimeOffset t)
    {
        lock (_packageWrites)
        {
            var after = _packageWrites.FindIndex(w => w.At >= t);
            if (after <= 0) return after == 0 ? _packageWrites[0].Joules : _packageWrites[^1].Joules;
            var (t0, j0) = _packageWrites[after - 1];
            var (t1, j1) = _packageWrites[after];
            return j0 + (j1 - j0) * (t - t0).TotalSeconds / Math.Max(1e-9, (t1 - t0).TotalSeconds);
        }
    }

    // RAPL package-0 at a constant 10 W, updated every 20 ms on a thread of its own: a counter that
    // lags its clock would put energy in the wrong tick, which is the simulation's error, not the agent's.
    private void DrivePackage(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var wallStart = DateTimeOffset.UtcNow; // each write is dated when its value was taken, not after the write
        var last = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            var now = clock.Elapsed;
            if (now - last > _longestPause) _longestPause = now - last;
            last = now;
            var uj = (ulong)(now.TotalSeconds * PackageWatts * 1e6);
            _sysfs.SetEnergy("intel-rapl:0", uj);
            lock (_packageWrites) _packageWrites.Add((wallStart + now, uj / 1e6));
            Thread.Sleep(20);
        }
    }

    private string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["SLURM_CONF"] = Path.Combine(Cluster, "slurm.conf");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120))) p.Kill(true);
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {stdout.Result}{stderr.Result}");
        return stdout.Result;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}");
            await Task.Delay(250);
        }
    }

    private static string DotnetPath() => Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "/usr/bin/env dotnet";

    private static string FindScripts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "e2e", "slurm");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/e2e/slurm");
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        _nvml.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmCollection
{
    public const string Name = "real Slurm, alone";
}
