using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Python;

/// <summary>The <c>coca4ai</c> package as a training script uses it: Debian's python3, the built coca.</summary>
public class PythonPackageTests
{
    [Fact]
    public void Python_unit_tests_pass()
    {
        using var python = new PythonRunner();
        var r = python.Run(["-W", "error::ResourceWarning", "-m", "unittest", "discover", "-s", Path.Combine(PythonRunner.RepositoryRoot(), "python", "tests"),
            "-t", Path.Combine(PythonRunner.RepositoryRoot(), "python")], withCoca: false);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("OK", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Pip_installs_the_package_offline_with_debians_setuptools()
    {
        using var work = new TempDirectory();
        using var python = new PythonRunner();
        // A copy: a build writes build/ and *.egg-info beside the sources.
        CopyTree(Path.Combine(PythonRunner.RepositoryRoot(), "python"), work.Combine("src"));
        var r = python.Run(["-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", "--target", work.Combine("site"), work.Combine("src")], withCoca: false);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(work.Combine("site", "coca4ai", "tracker.py")));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    [Fact]
    public void A_cpu_loop_under_EmissionsTracker_is_measured_by_coca_track()
    {
        using var rapl = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0);
        using var output = new TempDirectory();
        using var python = new PythonRunner();
        // The loop writes the package counter at its end: 5 J measured while the tracker runs, and only then.
        var r = python.Script("""
            import json, sys, time
            from coca4ai import EmissionsTracker, log_metric
            tracker = EmissionsTracker(project_name="loop", output_dir=sys.argv[1], country_iso_code="FRA", pue=1.5)
            tracker.start()
            cpu = time.process_time()
            x = 0
            for i in range(3000000):
                x += i * i
            loop_cpu = time.process_time() - cpu
            open(sys.argv[2], "w").write("5000000")
            time.sleep(0.3)
            log_metric("accuracy", 0.93, step=1)
            kg = tracker.stop()
            print(json.dumps({"kg": kg, "loop_cpu": loop_cpu, "result": tracker.final_result}))
            """, [output.Path, rapl.EnergyFile("intel-rapl:0")], env: new Dictionary<string, string> { ["COCA_HOST_SYSFS_ROOT"] = rapl.Root, ["COCA_RUN_INTERVAL"] = "0.1" });

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        var result = json.GetProperty("result");
        Assert.Equal("loop", result.GetProperty("project").GetString());
        Assert.Equal(5.0, result.GetProperty("energy_j").GetProperty("cpu").GetDouble(), 6);
        Assert.Equal("measured", result.GetProperty("provenance").GetProperty("cpu").GetString());
        var total = result.GetProperty("energy_j").GetProperty("total").GetDouble();
        var carbon = result.GetProperty("carbon");
        Assert.Equal(1.5, carbon.GetProperty("pue").GetDouble());
        // stop() returns kgCO2e, like CodeCarbon: the machine's energy × PUE × France's intensity.
        Assert.Equal(total / 3.6e6 * 1.5 * carbon.GetProperty("carbon_intensity_g_per_kwh").GetDouble() / 1000, json.GetProperty("kg").GetDouble(), 12);
        // The script's CPU is charged, coca's own is not: the tree's time is the loop's and little more.
        var loopCpu = json.GetProperty("loop_cpu").GetDouble();
        Assert.InRange(result.GetProperty("cpu_time_s").GetDouble(), loopCpu * 0.8, loopCpu + 0.5);
        var metric = Assert.Single(result.GetProperty("metrics").EnumerateArray());
        Assert.Equal("accuracy", metric.GetProperty("name").GetString());
        Assert.Equal(0.93, metric.GetProperty("value").GetDouble());
        var csv = File.ReadAllLines(Path.Combine(output.Path, "emissions.csv"));
        Assert.Contains(csv, l => l.Contains(result.GetProperty("run_id").GetString()!, StringComparison.Ordinal) && l.Contains(",loop,", StringComparison.Ordinal));
    }

    [Fact]
    public void The_decorator_measures_the_call_and_returns_its_value()
    {
        using var noRapl = new TempDirectory();
        using var output = new TempDirectory();
        using var python = new PythonRunner();
        var r = python.Script("""
            import json, sys
            from coca4ai import track_emissions

            @track_emissions(project_name="deco", output_dir=sys.argv[1])
            def train(n):
                return sum(i * i for i in range(n))

            value = train(200000)
            print(json.dumps({"value": value, "result": train.last_tracker.final_result}))
            """, [output.Path], env: new Dictionary<string, string> { ["COCA_HOST_SYSFS_ROOT"] = noRapl.Path });

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(2666646666700000L, json.GetProperty("value").GetInt64());
        Assert.Equal("deco", json.GetProperty("result").GetProperty("project").GetString());
        Assert.Equal("estimated", json.GetProperty("result").GetProperty("provenance").GetProperty("cpu").GetString());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output.Path, "emissions.csv")).Length);
    }

    [Fact]
    public void Log_metric_inside_coca_run_is_stored_with_the_run()
    {
        using var noRapl = new TempDirectory();
        using var python = new PythonRunner();
        var script = Path.Combine(Path.GetTempPath(), $"coca-metric-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, "from coca4ai import log_metric\nfor epoch in range(3):\n    log_metric('loss', 1.0 / (epoch + 1), step=epoch)\n");
        try
        {
            var r = python.Run(["-c", $"import subprocess, sys; sys.exit(subprocess.call(['{python.CocaBin}', 'run', '--json', '--no-csv', '--sysfs-root', '{noRapl.Path}', '--', '{PythonRunner.Python}', '{script}']))"]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var metrics = r.Json.GetProperty("metrics").EnumerateArray().ToList();
            Assert.Equal([1.0, 0.5, 1.0 / 3], metrics.Select(m => m.GetProperty("value").GetDouble()));
            Assert.Equal([0L, 1, 2], metrics.Select(m => m.GetProperty("step").GetInt64()));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void Log_metric_inside_a_slurm_job_reaches_the_jobs_metrics_file()
    {
        using var state = new TempDirectory();
        using var python = new PythonRunner();
        var r = python.Script("""
            from coca4ai import log_metric
            print(log_metric("accuracy", 0.5, step=1), log_metric("accuracy", 0.75, step=2))
            """, env: new Dictionary<string, string> { ["SLURM_JOB_ID"] = "777", ["COCA_AGENT_STATE_DIR"] = state.Path });

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("True True", r.Stdout.Trim());
        var lines = File.ReadAllLines(Path.Combine(state.Path, "metrics", "777.csv"));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("accuracy,0.75,2,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_coca_the_script_runs_on_with_one_warning()
    {
        using var output = new TempDirectory();
        using var python = new PythonRunner();
        var r = python.Script("""
            import sys
            from coca4ai import EmissionsTracker, log_metric
            for epoch in range(3):
                with EmissionsTracker(project_name="none", output_dir=sys.argv[1]) as tracker:
                    log_metric("loss", 1.0 / (epoch + 1))
                print("stop:", tracker.stop(), tracker.final_result)
            print("done")
            """, [output.Path], withCoca: false);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["stop: None None", "stop: None None", "stop: None None", "done"], r.Stdout.Trim().Split('\n'));
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains("coca not found", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(output.Path, "emissions.csv")));
    }
}
