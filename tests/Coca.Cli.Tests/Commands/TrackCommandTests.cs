using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class TrackCommandTests
{
    // One CPU-bound workload for both commands: it waits for READY, writes the RAPL counters around a busy loop,
    // then idles, so that a tracker sampling every 0.1 s has seen all of its CPU time before it exits.
    private static string Workload(SysfsFixture f, string ready) => string.Join("; ",
        $"while [ ! -e '{ready}' ]; do sleep 0.02; done",
        $"printf 1000000 > '{f.EnergyFile("intel-rapl:0")}'", $"printf 500000 > '{f.EnergyFile("intel-rapl:0:0")}'",
        "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done",
        $"printf 7000000 > '{f.EnergyFile("intel-rapl:0")}'", $"printf 2500000 > '{f.EnergyFile("intel-rapl:0:0")}'",
        "sleep 0.6");

    private static SysfsFixture Rapl() => new SysfsFixture()
        .Zone("intel-rapl:0", "package-0", 0)
        .Zone("intel-rapl:0:0", "dram", 0, maxPowerUw: null);

    [Fact]
    public void Track_of_a_running_process_measures_what_run_measures_of_the_same_workload()
    {
        using var runRapl = Rapl();
        using var runDir = new TempDirectory();
        var ready = Path.Combine(runDir.Path, "READY");
        File.WriteAllText(ready, "");
        var run = CocaProcess.Run(["run", "--json", "--interval", "0.1", "--sysfs-root", runRapl.Root, "--no-csv", "--", "sh", "-c", Workload(runRapl, ready)]);
        Assert.Equal(0, run.ExitCode);

        using var trackRapl = Rapl();
        using var trackDir = new TempDirectory();
        var trackReady = Path.Combine(trackDir.Path, "READY");
        using var workload = Process.Start("sh", ["-c", Workload(trackRapl, trackReady)])!;
        var track = TrackUntilMeasuring(["track", "--pid", Pid(workload), "--json", "--interval", "0.1", "--sysfs-root", trackRapl.Root,
            "--output-dir", trackDir.Path, "--project", "tracked"], () => File.WriteAllText(trackReady, ""));

        Assert.Equal(0, track.ExitCode);
        var r = run.Json;
        var t = track.Json;
        Assert.Equal(JsonValueKind.Null, t.GetProperty("exit_code").ValueKind);
        Assert.Equal("tracked", t.GetProperty("project").GetString());
        Assert.StartsWith("sh -c", t.GetProperty("command").GetString(), StringComparison.Ordinal);
        // The counters moved only while both were measuring: the same joules, to the microjoule.
        foreach (var component in new[] { "cpu", "dram", "total" })
        {
            Assert.Equal(r.GetProperty("energy_j").GetProperty(component).GetDouble(), t.GetProperty("energy_j").GetProperty(component).GetDouble(), 6);
        }
        Assert.Equal(9.5, t.GetProperty("energy_j").GetProperty("total").GetDouble(), 6); // package 0 → 7 J, dram 0 → 2.5 J
        Assert.Equal("measured", t.GetProperty("provenance").GetProperty("cpu").GetString());
        // CPU time: run's is exact (rusage); track's is its last look at the live tree, which came after the busy loop.
        var runCpu = r.GetProperty("cpu_time_s").GetDouble();
        var trackCpu = t.GetProperty("cpu_time_s").GetDouble();
        Assert.True(runCpu > 0.1, $"run saw {runCpu} s of CPU");
        Assert.InRange(trackCpu, runCpu * 0.6, runCpu * 1.4 + 0.05);
        Assert.InRange(t.GetProperty("attributed_j").GetProperty("total").GetDouble(), 1e-6, 9.5 + 1e-6);
        Assert.Contains(File.ReadAllLines(Path.Combine(trackDir.Path, "emissions.csv")), l => l.Contains(t.GetProperty("run_id").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_ends_tracking_with_the_result_and_leaves_the_process_running()
    {
        using var noRapl = new TempDirectory();
        using var sleeper = Process.Start("sleep", ["60"])!;
        try
        {
            using var p = Process.Start(CocaProcess.StartInfo(["track", "--pid", Pid(sleeper), "--json", "--no-csv", "--sysfs-root", noRapl.Path]))!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            WaitForMeasuring(p);
            await Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, p.ExitCode);
            var json = JsonDocument.Parse(await stdout).RootElement;
            Assert.Equal("sleep 60", json.GetProperty("command").GetString());
            Assert.True(json.GetProperty("samples").GetInt32() >= 2);
            Assert.False(sleeper.HasExited);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Theory]
    [InlineData("track")]
    [InlineData("track --pid 0")]
    [InlineData("track --pid abc")]
    [InlineData("track --pid 2147483647")]
    public void Bad_pid_is_a_usage_error_on_one_line(string args)
    {
        var r = CocaProcess.Run(args.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Empty(r.Stdout);
    }

    private static string Pid(Process p) => p.Id.ToString(CultureInfo.InvariantCulture);

    private static CocaProcess.Result TrackUntilMeasuring(string[] args, Action whenMeasuring)
    {
        using var p = Process.Start(CocaProcess.StartInfo(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = WaitForMeasuring(p);
        whenMeasuring();
        var rest = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60))) p.Kill(entireProcessTree: true);
        return new CocaProcess.Result(p.ExitCode, stdout.Result, stderr + rest.Result);
    }

    // The line coca prints once its first sample is taken: from then on the process's work is measured.
    private static string WaitForMeasuring(Process p)
    {
        var seen = new System.Text.StringBuilder();
        while (p.StandardError.ReadLine() is { } line)
        {
            seen.AppendLine(line);
            if (line.StartsWith("coca track: measuring pid", StringComparison.Ordinal)) return seen.ToString();
        }
        throw new InvalidOperationException("coca track ended before measuring: " + seen);
    }
}
