using System.Globalization;
using System.Text;
using Coca.Bench;

// dotnet run --project bench/Coca.Bench -c Release -- ingest [--agents N] [--seconds S] [--store sqlite|postgres|both] [--smoke]
// --smoke: a few seconds, no figures written: what CI runs to keep the harness working.
var command = args.FirstOrDefault() ?? "help";
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var smoke = args.Contains("--smoke");

switch (command)
{
    case "ingest":
    {
        var agents = int.Parse(Value("--agents") ?? (smoke ? "20" : "500"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Value("--seconds") ?? (smoke ? "3" : "60"), CultureInfo.InvariantCulture);
        var stores = (Value("--store") ?? "both") switch
        {
            "both" => Coca.TestSupport.PostgresServer.Installed ? ["sqlite", "postgres"] : new[] { "sqlite" },
            var one => [one],
        };
        var rows = new StringBuilder("| store | agents | duration | batches sent | batches/s | p50 ingest | p99 ingest | max | failed | exactly once | replays applied | job figures exact | target: every record once |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        var ok = true;
        foreach (var store in stores)
        {
            Console.Error.WriteLine($"ingest: {agents} agents × 1 batch/s for {seconds} s into {store}…");
            var r = await IngestLoad.RunAsync(store, agents, TimeSpan.FromSeconds(seconds));
            var met = r.ExactlyOnce && r.FiguresExact && r.Failed == 0;
            ok &= met;
            rows.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Agents} | {r.Seconds:0.0} s | {r.Sent} | {r.BatchesPerSecond:0.0} | {r.P50Ms:0.0} ms | {r.P99Ms:0.0} ms | {r.MaxMs:0} ms | {r.Failed} | {r.Applied}/{r.Sent} | {r.ReplaysApplied}/{r.Replayed} | {(r.FiguresExact ? "yes" : "NO")} | {(met ? "met" : "MISSED")} |");
        }
        Console.WriteLine(rows);
        if (!smoke)
        {
            ResultsFile.Write("ingest", "Ingest under load: simulated agents pushing 1-second batches to one server",
                $"dotnet run --project bench/Coca.Bench -c Release -- ingest --agents {agents} --seconds {seconds}",
                "Each agent sends one batch a second (2 running jobs, 8 GPU series points), spread over the second; then every tenth batch is sent again.\n" +
                "\"exactly once\": batches applied / sent; \"replays applied\" must be 0; \"job figures exact\": every job's stored GPU energy equals the last figure its agent sent.\n\n" + rows);
        }
        return ok ? 0 : 1;
    }
    case "tick":
    {
        var ticks = int.Parse(Value("--ticks") ?? (smoke ? "300" : "10000"), CultureInfo.InvariantCulture);
        var r = TickBench.Run(ticks);
        var met = r.MeanCpuUs <= 50 && r.Steady.MeanBytes == 0 && r.Housekeeping.MeanBytes == 0;
        var table = new StringBuilder("| ticks | kind | count | median CPU | p99 CPU | mean CPU | mean allocated | max allocated |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var (kind, s) in new[] { ("sampling only", r.Steady), ("+ CPU shares (every 10 s)", r.Housekeeping), ("+ books saved, GPU audit (every 60 s)", r.Checkpoint) })
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Ticks} | {kind} | {s.Count} | {s.MedianUs:0.0} µs | {s.P99Us:0.0} µs | {s.MeanUs:0.0} µs | {s.MeanBytes:0} B | {s.MaxBytes} B |");
        }
        table.AppendLine(CultureInfo.InvariantCulture, $"\nAll ticks: **{r.MeanCpuUs:0.0} µs CPU and {r.MeanBytes:0} B allocated per tick** on average. Target ≤ 50 µs CPU per tick, and 0 B per tick in steady state (sampling and CPU-share ticks; saving the books every minute serialises them): **{(met ? "met" : "MISSED")}**.");
        Console.WriteLine(table);
        if (!smoke)
        {
            ResultsFile.Write("tick", "Agent tick, in process (2 packages, 2 DRAM, 8 GPUs through the NVML test library, 64 job cgroups)",
                $"dotnet run --project bench/Coca.Bench -c Release -- tick --ticks {ticks}",
                "CPU is the ticking thread's own clock (CLOCK_THREAD_CPUTIME_ID) around `AgentHost.Tick()`, simulated time advancing 1 s per tick; " +
                "allocations are `GC.GetAllocatedBytesForCurrentThread`. Every 10 s a tick also reads the 64 jobs' cgroup CPU times and /proc/stat; every 60 s one saves the books (JSON, atomic) and audits the GPU processes.\n\n" + table);
        }
        return met || smoke ? 0 : 1;
    }
    default:
        Console.Error.WriteLine("usage: Coca.Bench ingest [--agents N] [--seconds S] [--store sqlite|postgres|both] [--smoke]");
        return 2;
}
