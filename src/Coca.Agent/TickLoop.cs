namespace Coca.Agent;

/// <summary>
/// Runs a tick every interval on a thread of its own that sleeps in the kernel between ticks: the thread pool's
/// workers spin (sched_yield) before they sleep, which at one wake-up per tick costs more than the tick itself.
/// A late tick skips the missed ones rather than running them back to back.
/// </summary>
internal static class TickLoop
{
    public static Thread Start(Action tick, AgentOptions options, CancellationToken cancellationToken)
    {
        var thread = new Thread(() => Run(tick, options, cancellationToken)) { IsBackground = true, Name = "coca-tick" };
        thread.Start();
        return thread;
    }

    private static void Run(Action tick, AgentOptions options, CancellationToken cancellationToken)
    {
        var clock = options.TimeProvider;
        var frequency = (double)clock.TimestampFrequency;
        var next = clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            tick();
            next += (long)(options.Interval.TotalSeconds * frequency);
            var wait = (next - clock.GetTimestamp()) / frequency;
            if (wait < 0)
            {
                next = clock.GetTimestamp();
                continue;
            }
            if (TickSleep.For(TimeSpan.FromSeconds(wait), cancellationToken)) return;
        }
    }
}
