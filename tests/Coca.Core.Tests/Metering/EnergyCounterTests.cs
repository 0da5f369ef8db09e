using Coca.Core.Metering;

namespace Coca.Core.Tests.Metering;

public class EnergyCounterTests
{
    [Fact]
    public void First_reading_only_sets_the_baseline()
    {
        var c = new EnergyCounter(1000);
        Assert.Equal(new CounterStep(0, CounterEvent.First), c.Advance(700));
        Assert.Equal(0UL, c.Total);
    }

    [Fact]
    public void Counter_wraps_at_max_range_without_losing_energy()
    {
        var c = new EnergyCounter(maxValue: 1000);
        c.Advance(990);
        var step = c.Advance(5); // 990 → 1000 is 10, then 1000 → 0 is 1, then 0 → 5 is 5
        Assert.Equal(CounterEvent.Wrapped, step.Event);
        Assert.Equal(16UL, step.Delta);
        Assert.Equal(16UL, c.Total);
        Assert.Equal(1, c.Wraps);
    }

    [Fact]
    public void Real_rapl_range_wraps_exactly_to_the_microjoule()
    {
        const ulong max = 262_143_328_850;
        var c = new EnergyCounter(max);
        c.Advance(max - 1_000);
        c.Advance(123_456);
        Assert.Equal(1_000UL + 1 + 123_456, c.Total);
    }

    [Fact]
    public void Decrease_without_known_range_is_a_reset_counting_the_new_value()
    {
        var c = new EnergyCounter();
        c.Advance(5_000);
        c.Advance(6_000);
        var step = c.Advance(200);
        Assert.Equal(new CounterStep(200, CounterEvent.Reset), step);
        Assert.Equal(1_200UL, c.Total);
        Assert.Equal(1, c.Resets);
    }

    [Fact]
    public void Step_larger_than_the_device_could_draw_is_rejected_not_counted()
    {
        var c = new EnergyCounter();
        c.Advance(100);
        var step = c.Advance(10_000_000, maxPlausibleDelta: 1_000);
        Assert.Equal(CounterEvent.Implausible, step.Event);
        Assert.Equal(0UL, c.Total);
        // The baseline moved: the next normal step counts from the new value.
        c.Advance(10_000_500, 1_000);
        Assert.Equal(500UL, c.Total);
    }

    [Fact]
    public void Reset_whose_new_value_is_implausible_counts_nothing()
    {
        var c = new EnergyCounter();
        c.Advance(5_000_000);
        var step = c.Advance(4_000_000, maxPlausibleDelta: 1_000);
        Assert.Equal(CounterEvent.Implausible, step.Event);
        Assert.Equal(0UL, c.Total);
    }

    [Fact]
    public void Wrap_that_would_be_implausible_is_taken_as_a_reset()
    {
        var c = new EnergyCounter(maxValue: 1_000_000);
        c.Advance(10);       // far from the top: a decrease cannot be a wrap within the time allowed
        var step = c.Advance(5, maxPlausibleDelta: 100);
        Assert.Equal(new CounterStep(5, CounterEvent.Reset), step);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(1234)]
    public void Random_sequences_with_at_most_one_wrap_per_step_sum_exactly(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 200; run++)
        {
            var max = (ulong)random.NextInt64(10, 1_000_000_000);
            var raw = (ulong)random.NextInt64(0, (long)max + 1);
            var counter = new EnergyCounter(max);
            counter.Advance(raw);
            ulong truth = 0;
            for (var i = 0; i < 500; i++)
            {
                var increment = (ulong)random.NextInt64(0, (long)max + 1); // at most one full range per step
                truth += increment;
                raw = (ulong)((raw + (UInt128)increment) % ((UInt128)max + 1));
                var step = counter.Advance(raw);
                Assert.True(step.Event is CounterEvent.Normal or CounterEvent.Wrapped);
            }
            Assert.Equal(truth, counter.Total);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(99)]
    public void Random_sequences_with_resets_never_go_negative_and_count_energy_since_each_reset(int seed)
    {
        var random = new Random(seed);
        var counter = new EnergyCounter(); // no known range: NVML-style
        ulong raw = (ulong)random.NextInt64(0, 1_000_000);
        counter.Advance(raw);
        ulong truth = 0;
        var previousTotal = 0UL;
        for (var i = 0; i < 5_000; i++)
        {
            if (random.NextDouble() < 0.02)
            {
                var sinceReset = (ulong)random.NextInt64(0, 1_000);
                truth += sinceReset;
                raw = sinceReset;
            }
            else
            {
                var increment = (ulong)random.NextInt64(0, 100_000);
                truth += increment;
                raw += increment;
            }
            counter.Advance(raw);
            Assert.True(counter.Total >= previousTotal);
            previousTotal = counter.Total;
        }
        // A reset to a value above the last reading looks like an increase: that is the one case a
        // counter without range cannot tell apart, so the total may only be short, never over.
        Assert.True(counter.Total <= truth);
        Assert.True(counter.Total >= truth - (ulong)(counter.Resets + 200) * 1_000);
    }
}
