using Coca.Core.Metering;
using Coca.Core.Units;

namespace Coca.Core.Tests.Metering;

public class NodeMeterIntegratorTests
{
    [Fact]
    public void Power_is_held_between_refreshes_and_each_second_counted_once()
    {
        var m = new NodeMeterIntegrator(staleAfterSeconds: 120);
        var first = new MeterReading(0, 300, null);
        Assert.True(m.Advance(0, first, out _));
        // A BMC polled every 10 s that refreshes once a minute answers the same value: the same object or a new one.
        for (var t = 1; t <= 60; t++) Assert.True(m.Advance(t, t % 10 == 0 ? new MeterReading(t, 300, null) : first, out _));
        Assert.Equal(300L * 60 * 1_000_000, m.TotalUj);
        Assert.Equal(Provenance.Derived, m.Provenance);
    }

    [Fact]
    public void A_stale_repeat_with_the_same_meter_time_is_not_a_new_sample()
    {
        var m = new NodeMeterIntegrator(120);
        var stamp = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        m.Advance(0, new MeterReading(0, 200, null, stamp), out _);
        m.Advance(5, new MeterReading(5, 200, null, stamp), out _);
        m.Advance(10, new MeterReading(10, 250, null, stamp.AddSeconds(10)), out _);
        Assert.Equal(1, m.Repeats);
        Assert.Equal(2, m.Samples);
        Assert.Equal(200L * 10 * 1_000_000, m.TotalUj);
    }

    [Fact]
    public void A_meter_silent_beyond_the_stale_limit_is_unreadable_and_adds_nothing()
    {
        var m = new NodeMeterIntegrator(30);
        var r = new MeterReading(0, 100, null);
        m.Advance(0, r, out _);
        Assert.True(m.Advance(30, r, out _));
        Assert.False(m.Advance(31, r, out _));
        Assert.False(m.Advance(100, r, out _));
        Assert.Equal(100L * 30 * 1_000_000, m.TotalUj);
        // It answers again: counting resumes from there, the silence is not filled in.
        Assert.True(m.Advance(101, new MeterReading(101, 100, null), out _));
        Assert.True(m.Advance(102, new MeterReading(101, 100, null), out _));
        Assert.Equal(100L * 31 * 1_000_000, m.TotalUj);
    }

    [Fact]
    public void An_energy_counter_is_read_as_measured_and_preferred_to_power()
    {
        var m = new NodeMeterIntegrator(120);
        m.Advance(0, new MeterReading(0, 400, 3.6e6), out var first);
        m.Advance(1, new MeterReading(1, 400, 3.6e6), out _);       // not refreshed: nothing
        m.Advance(60, new MeterReading(60, 400, 3.6e6 + 24_000), out var step);
        Assert.Equal(CounterEvent.First, first);
        Assert.Equal(CounterEvent.Normal, step);
        Assert.Equal(24_000_000_000, m.TotalUj);
        Assert.Equal(Provenance.Measured, m.Provenance);
    }

    [Fact]
    public void Before_any_reading_the_meter_is_unreadable() =>
        Assert.False(new NodeMeterIntegrator(60).Advance(5, null, out _));
}
