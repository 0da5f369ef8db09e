using Coca.Core.Metering;

namespace Coca.Core.Tests.Metering;

/// <summary>A counter that went back is read with the elapsed time and the device's maximum power (issue 12, item 11).</summary>
public class EnergyCounterDecreaseTests
{
    // A 50 W zone read one second apart: at most 201 J believable (4 × 50 W × 1 s + 1 J).
    private static readonly ulong OneSecondAt50W = PlausibleStep.MaxDelta(50, 1, 1);
    private static readonly ulong OneSecondAt300W = PlausibleStep.MaxDelta(300, 1, 1);

    [Fact]
    public void Reset_on_a_zone_whose_range_is_smaller_than_the_plausible_step_is_rejected_not_read_as_a_wrap()
    {
        var c = new EnergyCounter(maxValue: 10_000_000); // a 10 J range
        c.Advance(6_000_000);
        var step = c.Advance(0, OneSecondAt50W);          // the zone was reset: a wrap would invent 4 J
        Assert.Equal(new CounterStep(0, CounterEvent.Implausible), step);
        Assert.Equal(0UL, c.Total);
        Assert.Equal(1, c.Rejected);
        c.Advance(500_000, OneSecondAt50W);               // and it counts on from the new value
        Assert.Equal(500_000UL, c.Total);
    }

    [Fact]
    public void One_sample_spike_then_return_counts_only_the_energy_between_the_good_readings()
    {
        var c = new EnergyCounter();                      // NVML-style, no range
        c.Advance(11_000_000);
        Assert.Equal(CounterEvent.Implausible, c.Advance(5_000_000_000_000, OneSecondAt300W).Event);
        c.Advance(11_100_000, OneSecondAt300W);           // back: not a reset crediting the whole 11.1 J
        Assert.Equal(100_000UL, c.Total);
        Assert.Equal(0, c.Resets);
    }

    [Fact]
    public void One_microjoule_step_back_is_a_rejected_step_not_a_reset_crediting_the_raw_counter()
    {
        var c = new EnergyCounter();
        c.Advance(23_500_000);
        var step = c.Advance(23_499_999, OneSecondAt300W);
        Assert.Equal(new CounterStep(0, CounterEvent.Implausible), step);
        Assert.Equal(0UL, c.Total);
        c.Advance(23_600_000, OneSecondAt300W);           // counted from the reading before the step back: exact
        Assert.Equal(100_000UL, c.Total);
    }

    [Fact]
    public void One_sample_drop_then_return_invents_nothing()
    {
        var c = new EnergyCounter();
        c.Advance(11_000_000);
        c.Advance(0, OneSecondAt300W);                    // read as a reset for now
        c.Advance(11_100_000, OneSecondAt300W);           // but it came back: 0.1 J, not 11.1 J
        Assert.Equal(100_000UL, c.Total);
    }

    [Fact]
    public void Wrap_of_a_large_range_is_still_counted_exactly_with_the_plausible_step()
    {
        const ulong max = 262_143_328_850;
        var c = new EnergyCounter(max);
        c.Advance(max - 1_000);
        var step = c.Advance(123_456, OneSecondAt50W);
        Assert.Equal(CounterEvent.Wrapped, step.Event);
        Assert.Equal(1_000UL + 1 + 123_456, c.Total);
    }

    [Fact]
    public void Genuine_reset_to_near_zero_counts_the_energy_since()
    {
        var c = new EnergyCounter();
        c.Advance(900_000_000);
        var step = c.Advance(2_000_000, OneSecondAt300W);
        Assert.Equal(new CounterStep(2_000_000, CounterEvent.Reset), step);
        c.Advance(3_000_000, OneSecondAt300W);
        Assert.Equal(3_000_000UL, c.Total);
    }
}
