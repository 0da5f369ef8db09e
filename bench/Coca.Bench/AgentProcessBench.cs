using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Coca.Bench;

/// <summary>
/// The NativeAOT agent as a process on the benchmark node: CPU per tick over many ticks (/proc/PID/stat),
/// resident memory after a long run of 1-second ticks, time from exec to the first /metrics answer, and the
/// CPU of a /metrics scrape next to Debian's prometheus-node-exporter with only its RAPL collector.
/// </summary>
internal static partial class AgentProcessBench
{
    public sealed record Result(
        double TickCpuUs, long TicksMeasured, double StartMsMedian, double StartMsMax, long RssKb, long HwmKb, double MemoryRunSeconds,
        double ScrapeCpuUs, double NodeExporterScrapeCpuUs, int Scrapes, int MetricsLines, int NodeExporterLines, double FloorUs, int RaplFiles,
        double OneHertzTickCpuUs, long OneHertzTicks, double OneHertzFloorUs, double SyscallsPerTick, double SwitchesPerTick, double TickMinUs, double TickMaxUs,
        double TickAboveFloorUs);

    /// <summary>The whole-process tick at 200 a second: CPU, and what the machine charges it for (system calls, context switches).</summary>
    /// <param name="CpuUs">Median over windows of 2,000 ticks; <paramref name="MinUs"/> and <paramref name="MaxUs"/> their range.</param>
    /// <param name="FloorUs">Median of the floor measured after each window, the agent paused (SIGSTOP) meanwhile.</param>
    /// <param name="AboveFloorUs">Median over the pairs of window less the floor measured right after it.</param>
    public sealed record TickCost(double CpuUs, long Ticks, double MinUs, double MaxUs, double SyscallsPerTick, double SwitchesPerTick, double FloorUs, double AboveFloorUs);

    public static async Task<Result> RunAsync(string agentBinary, int ticks, TimeSpan memoryRun, int scrapes)
    {
        using var node = new NodeFixture();
        string[] Args(double interval, int port, string state) => AgentArgs(node, interval, port, state);
        // The memory run goes on in the background while the rest is measured.
        var memoryPort = FreePort();
        CopyRecords(node, "state-memory");
        using var memory = Start(agentBinary, Args(1, memoryPort, node.Dir.Combine("state-memory")));
        var memoryStarted = Stopwatch.StartNew();
        // The same agent gives the tick's cost at the real cadence, one a second, from its first scrape-free minute on.
        await WaitForMetrics(memoryPort, TimeSpan.FromSeconds(10), spin: false);
        var slowT0 = await Ticks(memoryPort);
        var slowC0 = ThreadCpu.ProcessSeconds(memory.Id);
        var raplFiles = Directory.EnumerateFiles(Path.Combine(node.Sysfs.Root, "devices"), "energy_uj", SearchOption.AllDirectories).ToList();
        // The floor at 1 Hz runs beside the agent for the whole memory run: the same minutes, the same neighbours (the
        // rest of this bench included), so that the two figures are taken under the same conditions.
        var slowFloor = Task.Run(() => WakeupFloor.Measure(raplFiles, wakeups: Math.Max(10, (int)memoryRun.TotalSeconds - 15), periodMs: 1000));

        // Start time: exec → first 200 from /metrics, ten times.
        var starts = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var port = FreePort();
            CopyRecords(node, $"state-start-{i}");
            var clock = Stopwatch.StartNew();
            using var p = Start(agentBinary, Args(1, port, node.Dir.Combine($"state-start-{i}")));
            await WaitForMetrics(port, TimeSpan.FromSeconds(10), spin: true);
            starts.Add(clock.Elapsed.TotalMilliseconds);
            p.Kill();
            await p.WaitForExitAsync();
        }

        var tick = await TickCpu(agentBinary, node, ticks, Args, raplFiles);
        var floorUs = tick.FloorUs;

        // Scrapes: the agent at 1-second ticks, then node_exporter, the same client, the same count.
        var scrapePort = FreePort();
        CopyRecords(node, "state-scrape");
        using var scraped = Start(agentBinary, Args(1, scrapePort, node.Dir.Combine("state-scrape")));
        await WaitForMetrics(scrapePort, TimeSpan.FromSeconds(10), spin: false);
        await Task.Delay(3000);
        var (ourCpu, ourLines) = await ScrapeCpu(scraped.Id, scrapePort, scrapes, subtractIdle: true);
        scraped.Kill();

        var nePort = FreePort();
        using var exporter = Process.Start(new ProcessStartInfo("prometheus-node-exporter",
            [$"--path.sysfs={node.Sysfs.Root}", "--collector.disable-defaults", "--collector.rapl", $"--web.listen-address=127.0.0.1:{nePort}"])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        _ = exporter.StandardError.ReadToEndAsync();
        await WaitForMetrics(nePort, TimeSpan.FromSeconds(10), spin: false);
        await Task.Delay(1000);
        var (neCpu, neLines) = await ScrapeCpu(exporter.Id, nePort, scrapes, subtractIdle: true);
        exporter.Kill();

        var remaining = memoryRun - memoryStarted.Elapsed;
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        var (rss, hwm) = ThreadCpu.Memory(memory.Id);
        var slowC1 = ThreadCpu.ProcessSeconds(memory.Id);
        var slowT1 = await Ticks(memoryPort);
        var slowTickUs = (slowC1 - slowC0) * 1e6 / Math.Max(1, slowT1 - slowT0);
        var memorySeconds = memoryStarted.Elapsed.TotalSeconds;
        memory.Kill();

        starts.Sort();
        return new Result(tick.CpuUs, tick.Ticks, starts[starts.Count / 2], starts[^1], rss, hwm, memorySeconds, ourCpu, neCpu, scrapes, ourLines, neLines, floorUs, raplFiles.Count,
            slowTickUs, slowT1 - slowT0, await slowFloor, tick.SyscallsPerTick, tick.SwitchesPerTick, tick.MinUs, tick.MaxUs,
            tick.AboveFloorUs);
    }

    /// <summary>Only the whole-process tick and its floor: for working on the tick (`agent --ticks-only`); prints the agent's pid for `perf record -p`.</summary>
    public static async Task<TickCost> TicksOnlyAsync(string agentBinary, int ticks)
    {
        using var node = new NodeFixture();
        var raplFiles = Directory.EnumerateFiles(Path.Combine(node.Sysfs.Root, "devices"), "energy_uj", SearchOption.AllDirectories).ToList();
        return await TickCpu(agentBinary, node, ticks, (interval, port, state) => AgentArgs(node, interval, port, state), raplFiles);
    }

    /// <summary>The agent on the benchmark node at a given cadence, for profiling (`agent --hold SECONDS [--interval S]`): prints its pid, then stops it.</summary>
    public static async Task HoldAsync(string agentBinary, double interval, TimeSpan hold)
    {
        using var node = new NodeFixture();
        var port = FreePort();
        CopyRecords(node, "state-hold");
        using var agent = Start(agentBinary, AgentArgs(node, interval, port, node.Dir.Combine("state-hold")));
        await WaitForMetrics(port, TimeSpan.FromSeconds(10), spin: false);
        var t0 = await Ticks(port);
        var c0 = ThreadCpu.ProcessSeconds(agent.Id);
        Console.Error.WriteLine($"agent pid {agent.Id} ticking every {interval} s on http://127.0.0.1:{port}/metrics for {hold.TotalSeconds} s");
        await Task.Delay(hold);
        var c1 = ThreadCpu.ProcessSeconds(agent.Id);
        var t1 = await Ticks(port);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(c1 - c0) * 1e6 / Math.Max(1, t1 - t0):0.0} µs CPU per tick over {t1 - t0} ticks"));
        agent.Kill();
    }

    // CPU per tick: 200 ticks a second, with the same 30:1 and 60:1 cadence of shares and saves as at 1 s. After each
    // window the agent is paused and the floor (a C loop waking as often, reading the same RAPL files) measured for as
    // many wake-ups: this VM's cost per wake-up drifts by tens of percent within minutes, and a floor taken right
    // after each window is the fair one to set beside it.
    private static async Task<TickCost> TickCpu(string agentBinary, NodeFixture node, int ticks, Func<double, int, string, string[]> args, IReadOnlyList<string> raplFiles)
    {
        var tickPort = FreePort();
        CopyRecords(node, "state-ticks");
        using var ticking = Start(agentBinary, args(0.005, tickPort, node.Dir.Combine("state-ticks")));
        await WaitForMetrics(tickPort, TimeSpan.FromSeconds(10), spin: false);
        Console.Error.WriteLine($"agent pid {ticking.Id} ticking 200 times a second");
        await Task.Delay(2000);
        // System calls and context switches first, over 10 s, where perf is installed, apart from the CPU windows.
        var (calls, switches, countedTicks) = await CountEvents(ticking.Id, tickPort, seconds: 10);
        // CPU in windows of 2,000 ticks (10 s): this VM's cost per wake-up drifts by tens of percent over minutes,
        // and the median of the windows is steadier than one long mean.
        var windows = new List<double>();
        var floors = new List<double>();
        var aboveFloor = new List<double>();
        long measured = 0;
        while (measured < ticks)
        {
            var t0 = await Ticks(tickPort);
            var c0 = ThreadCpu.ProcessSeconds(ticking.Id);
            // One wait for the window's length, then short looks: each look is a scrape the agent answers within the window.
            var want = Math.Min(2000, ticks);
            await Task.Delay(TimeSpan.FromMilliseconds(want * 5 * 0.98));
            long t1;
            while ((t1 = await Ticks(tickPort)) - t0 < want) await Task.Delay(100);
            var window = (ThreadCpu.ProcessSeconds(ticking.Id) - c0) * 1e6 / (t1 - t0);
            windows.Add(window);
            measured += t1 - t0;
            Signal("STOP", ticking.Id);
            var floor = WakeupFloor.Measure(raplFiles, wakeups: 2000, periodMs: 5);
            Signal("CONT", ticking.Id);
            floors.Add(floor);
            aboveFloor.Add(window - floor);
            await Task.Delay(500); // the agent skips the ticks it missed, then goes on at its pace
        }
        ticking.Kill();
        windows.Sort();
        return new TickCost(Median(windows), measured, windows[0], windows[^1],
            countedTicks > 0 ? calls / (double)countedTicks : double.NaN, countedTicks > 0 ? switches / (double)countedTicks : double.NaN,
            Median(floors), Median(aboveFloor));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    // (system calls, context switches, ticks) over a window, counted by `perf stat` (a tracepoint and a software
    // event, every thread of the process); zeros without perf.
    private static async Task<(long Calls, long Switches, long Ticks)> CountEvents(int pid, int port, int seconds)
    {
        Process perf;
        try
        {
            perf = Process.Start(new ProcessStartInfo("perf", ["stat", "-x", ",", "-e", "raw_syscalls:sys_enter,context-switches", "-p", pid.ToString(CultureInfo.InvariantCulture), "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (0, 0, 0);
        }
        using (perf)
        {
            var t0 = await Ticks(port);
            var stderr = await perf.StandardError.ReadToEndAsync();
            await perf.WaitForExitAsync();
            var t1 = await Ticks(port);
            long Count(string evt) =>
                long.TryParse(stderr.Split('\n').FirstOrDefault(l => l.Contains(evt, StringComparison.Ordinal))?.Split(',')[0], CultureInfo.InvariantCulture, out var n) ? n : 0;
            return perf.ExitCode == 0 ? (Count("raw_syscalls"), Count("context-switches"), t1 - t0) : (0, 0, 0);
        }
    }

    private static string[] AgentArgs(NodeFixture node, double interval, int port, string state) =>
    [
        "--interval", interval.ToString(CultureInfo.InvariantCulture), "--listen", $"127.0.0.1:{port}", "--state-dir", state,
        "--sysfs-root", node.Sysfs.Root, "--procfs-root", node.ProcRoot, "--cgroup-root", node.CgroupRoot, "--nvml-lib", node.Nvml.LibraryPath,
        "--housekeeping-interval", (interval * 30).ToString(CultureInfo.InvariantCulture), "--checkpoint-interval", (interval * 60).ToString(CultureInfo.InvariantCulture),
    ];

    // The Prolog records the node fixture wrote, for another agent's state directory.
    private static void CopyRecords(NodeFixture node, string state)
    {
        var target = node.Dir.Combine(state, "jobs");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(node.StateDirectory, "jobs"))) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    private static async Task<(double CpuUs, int Lines)> ScrapeCpu(int pid, int port, int scrapes, bool subtractIdle)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var idle0 = ThreadCpu.ProcessSeconds(pid);
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(5000);
        var idleRate = (ThreadCpu.ProcessSeconds(pid) - idle0) / idleClock.Elapsed.TotalSeconds;
        var lines = 0;
        var c0 = ThreadCpu.ProcessSeconds(pid);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < scrapes; i++)
        {
            var body = await http.GetStringAsync("metrics");
            lines = body.Count(c => c == '\n');
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ThreadCpu.ProcessSeconds(pid) - c0 - (subtractIdle ? idleRate * seconds : 0);
        return (Math.Max(0, cpu) * 1e6 / scrapes, lines);
    }

    private static async Task<long> Ticks(int port)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        return long.Parse(TicksLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task WaitForMetrics(int port, TimeSpan timeout, bool spin)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (!spin) await Task.Delay(50);
        }
        throw new TimeoutException($"nothing answered /metrics on port {port}");
    }

    private static Process Start(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        return p;
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^coca_agent_ticks_total (\d+)$", RegexOptions.Multiline)]
    private static partial Regex TicksLine();
}
