namespace Coca.Agent.Clock;

/// <summary>
/// The agent's timeline, in Unix milliseconds: the wall clock read once at start, then the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>). NTP or a VM restore stepping the wall clock moves neither the
/// deltas nor their order — a step of −60 s once gave a job 175 of 600 J. Wall time only labels: a Prolog's or
/// Epilog's wall time is put on the timeline with the offset seen now (<see cref="ToTimeline"/>).
/// </summary>
/// <remarks>
/// Across restarts within one boot the monotonic clock goes on, so the time the agent was down is the monotonic
/// time between the books' last tick and now, whatever the wall clock did meanwhile (<see cref="Resume"/>).
/// Integer milliseconds throughout: with no step the timeline is the wall clock to the millisecond, as before.
/// </remarks>
internal sealed class AgentClock
{
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private long _anchorMs;
    private long _anchorTimestamp;

    public AgentClock(TimeProvider time)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
        _anchorTimestamp = time.GetTimestamp();
        _anchorMs = WallMs();
    }

    /// <summary>The timeline now (Unix ms). Allocates nothing.</summary>
    public long NowMs() => MsAt(_time.GetTimestamp());

    /// <summary>The timeline at a monotonic <paramref name="timestamp"/> of this process (Unix ms).</summary>
    public long MsAt(long timestamp) => _anchorMs + ElapsedMs(timestamp - _anchorTimestamp);

    /// <summary>The monotonic timestamp, as saved with the books.</summary>
    public long Timestamp() => _time.GetTimestamp();

    /// <summary>Timeline minus wall clock (ms): 0 until the wall clock steps.</summary>
    public long WallOffsetMs() => NowMs() - WallMs();

    /// <summary>A wall time written by a hook just now, on the timeline.</summary>
    public double ToTimeline(DateTimeOffset wall) => (wall.ToUnixTimeMilliseconds() + WallOffsetMs()) / 1000.0;

    /// <summary>
    /// Continues the timeline of saved books: when they were taken in this boot (same boot id, a monotonic stamp),
    /// the time since is monotonic, so a wall clock stepped while the agent was down loses nothing; otherwise the wall
    /// clock, but never before the books' last tick. Returns the step the wall clock made meanwhile (ms), or 0.
    /// </summary>
    public long Resume(double takenAt, long? takenTimestamp, string? takenBootId, string? bootId)
    {
        if (!(takenAt > 0)) return 0;
        var takenMs = (long)Math.Round(takenAt * 1000);
        var now = _time.GetTimestamp();
        var wall = WallMs();
        long resumed;
        if (takenTimestamp is { } t && bootId is { Length: > 0 } && takenBootId == bootId && now >= t) resumed = takenMs + ElapsedMs(now - t);
        else resumed = Math.Max(wall, takenMs);
        _anchorTimestamp = now;
        _anchorMs = resumed;
        return wall - resumed;
    }

    private long WallMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // Whole seconds and the rest apart: no overflow after months of uptime at a nanosecond frequency.
    private long ElapsedMs(long ticks) => ticks / _frequency * 1000 + ticks % _frequency * 1000 / _frequency;
}
