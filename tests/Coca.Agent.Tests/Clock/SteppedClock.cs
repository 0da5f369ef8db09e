using Microsoft.Extensions.Time.Testing;

namespace Coca.Agent.Tests.Clock;

/// <summary>
/// A <see cref="FakeTimeProvider"/> whose wall clock can be stepped (NTP, a VM restore) while its monotonic clock only
/// moves forward with <see cref="Advance"/>: FakeTimeProvider alone ties the two together and refuses to go back.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(start);
    private TimeSpan _step;

    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>Steps the wall clock only.</summary>
    public void StepWall(TimeSpan by) => _step += by;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow() + _step;
    public override long GetTimestamp() => _fake.GetTimestamp();
    public override long TimestampFrequency => _fake.TimestampFrequency;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => _fake.CreateTimer(callback, state, dueTime, period);
}
