using Coca.Agent;
using Microsoft.Extensions.Time.Testing;

namespace Coca.Bench;

/// <summary>The agent's tick in process: CPU time (thread clock) and bytes allocated per tick over many ticks on the benchmark node.</summary>
internal static class TickBench
{
    public sealed record Result(int Ticks, Stats Steady, Stats Housekeeping, Stats Checkpoint, double MeanCpuUs, double MeanBytes);

    public sealed record Stats(int Count, double MedianUs, double P99Us, double MeanUs, double MeanBytes, long MaxBytes);

    /// <param name="redfishMeter">Also read a node meter: a local Redfish BMC polled every 0.5 s on the meter's own task
    /// (twenty times the default rate: reads overlap the ticks), taken by every tick and charged as other.</param>
    public static Result Run(int ticks, bool redfishMeter = false)
    {
        using var node = new NodeFixture();
        using var bmc = redfishMeter ? new RedfishStub() : null;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AgentOptions
        {
            Interval = TimeSpan.FromSeconds(1),
            StateDirectory = node.StateDirectory,
            Listen = "127.0.0.1:0",
            CgroupRoot = node.CgroupRoot,
            Scontrol = "/bin/false",
            TimeProvider = clock,
            Sources = new Sources.SourceSetOptions
            {
                SysfsRoot = node.Sysfs.Root,
                ProcfsRoot = node.ProcRoot,
                Gpu = { NvmlLibrary = node.Nvml.LibraryPath },
                NodeMeter = bmc is null ? null : new Sources.NodeMeter.NodeMeterOptions
                {
                    Open = () => new Sources.Redfish.RedfishReader(new Sources.Redfish.RedfishOptions { BaseAddress = bmc.Url, IntervalSeconds = 0.5 }),
                    IntervalSeconds = 0.5,
                    StaleAfterSeconds = 1e6, // simulated time runs thousands of times faster than the poller's
                },
            },
        };
        using var agent = new AgentHost(options, _ => { });
        for (var i = 0; i < 200; i++) Step(agent, clock); // warm-up: JIT, tiering, first housekeeping
        // The tracker does not trust a job directory changed less than 2 s ago (real time: a second change could hide in
        // the same timestamp) and re-reads the records at each checkpoint until then; simulated ticks run thousands of
        // times faster than real ones, so let those 2 s pass as they would in the agent's first two ticks.
        Thread.Sleep(TimeSpan.FromSeconds(2.1));
        for (var i = 0; i < 120; i++) Step(agent, clock);

        var cpu = new List<(double Us, long Bytes, int Kind)>(ticks);
        var totalCpu = ThreadCpu.Nanoseconds();
        var totalBytes = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < ticks; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpu.Nanoseconds();
            agent.Tick();
            var ns = ThreadCpu.Nanoseconds() - start;
            var kind = agent.LastTickWasCheckpoint ? 2 : agent.LastTickWasHousekeeping ? 1 : 0;
            cpu.Add((ns / 1000.0, GC.GetAllocatedBytesForCurrentThread() - bytes, kind));
        }
        var meanCpu = (ThreadCpu.Nanoseconds() - totalCpu) / 1000.0 / ticks;
        var meanBytes = (GC.GetAllocatedBytesForCurrentThread() - totalBytes) / (double)ticks;
        if (bmc is not null && bmc.Answers < 10) throw new InvalidOperationException($"the Redfish meter was read only {bmc.Answers} times: the bench did not measure a polled meter");
        return new Result(ticks, Summarise(cpu.Where(c => c.Kind == 0)), Summarise(cpu.Where(c => c.Kind == 1)), Summarise(cpu.Where(c => c.Kind == 2)), meanCpu, meanBytes);
    }

    private static void Step(AgentHost agent, FakeTimeProvider clock)
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        agent.Tick();
    }

    private static Stats Summarise(IEnumerable<(double Us, long Bytes, int Kind)> ticks)
    {
        var list = ticks.ToList();
        if (list.Count == 0) return new Stats(0, 0, 0, 0, 0, 0);
        var sorted = list.Select(t => t.Us).Order().ToArray();
        return new Stats(list.Count, sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Average(),
            list.Average(t => (double)t.Bytes), list.Max(t => t.Bytes));
    }
}
