using Coca.Agent.Clock;

namespace Coca.Agent.Tests.Clock;

public class AgentClockTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Fact]
    public void Wall_clock_steps_move_neither_the_timeline_nor_its_order()
    {
        var time = new SteppedClock(Start);
        var clock = new AgentClock(time);
        time.Advance(TimeSpan.FromSeconds(10));
        time.StepWall(TimeSpan.FromSeconds(-60));
        Assert.Equal(Start.ToUnixTimeMilliseconds() + 10_000, clock.NowMs());
        time.Advance(TimeSpan.FromSeconds(1));
        time.StepWall(TimeSpan.FromHours(1));
        Assert.Equal(Start.ToUnixTimeMilliseconds() + 11_000, clock.NowMs());
    }

    [Fact]
    public void A_hooks_wall_time_is_put_on_the_timeline_with_the_offset_seen_now()
    {
        var time = new SteppedClock(Start);
        var clock = new AgentClock(time);
        time.Advance(TimeSpan.FromSeconds(100));
        time.StepWall(TimeSpan.FromSeconds(-60));
        Assert.Equal((Start.ToUnixTimeMilliseconds() + 100_000) / 1000.0, clock.ToTimeline(time.GetUtcNow()));
    }

    [Fact]
    public void After_a_restart_in_the_same_boot_the_downtime_is_monotonic_whatever_the_wall_clock_did()
    {
        var time = new SteppedClock(Start);
        var takenAt = Start.ToUnixTimeMilliseconds() / 1000.0;
        var stamp = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(400));
        time.StepWall(TimeSpan.FromHours(-1));
        var clock = new AgentClock(time);
        clock.Resume(takenAt, stamp, "boot-a", "boot-a");
        Assert.Equal(Start.ToUnixTimeMilliseconds() + 400_000, clock.NowMs());
    }

    [Fact]
    public void After_a_reboot_the_timeline_never_starts_before_the_books_last_tick()
    {
        var time = new SteppedClock(Start);
        time.StepWall(TimeSpan.FromHours(-1));
        var clock = new AgentClock(time);
        clock.Resume(Start.ToUnixTimeMilliseconds() / 1000.0, 12345, "boot-a", "boot-b");
        Assert.Equal(Start.ToUnixTimeMilliseconds(), clock.NowMs());
    }
}
