using Coca.Core.Metering;

namespace Coca.Core.Tests.Metering;

public class PowerIntegratorTests
{
    [Fact]
    public void Constant_power_integrates_to_power_times_time()
    {
        var p = new PowerIntegrator();
        for (var t = 0; t <= 10; t++) p.Add(t, 250);
        Assert.Equal(2_500_000_000L, p.TotalMicrojoules);
    }

    [Fact]
    public void Linear_ramp_is_exact_with_the_trapezoid_rule()
    {
        var p = new PowerIntegrator();
        for (var i = 0; i <= 100; i++) p.Add(i * 0.1, i); // 0 → 100 W over 10 s: 500 J
        Assert.InRange(p.TotalMicrojoules, 499_999_999, 500_000_001);
    }

    [Fact]
    public void Missing_power_is_skipped_and_a_break_starts_a_new_segment()
    {
        var p = new PowerIntegrator();
        p.Add(0, 100);
        p.Add(1, double.NaN);
        p.Add(2, 100); // 0 → 2 s at 100 W
        p.Break();
        p.Add(10, 100); // first sample of a new segment: nothing between 2 s and 10 s is invented
        p.Add(11, 100);
        Assert.Equal(300_000_000L, p.TotalMicrojoules);
    }

    [Fact]
    public void Fractions_of_a_microjoule_are_carried_not_lost()
    {
        var p = new PowerIntegrator();
        p.Add(0, 1e-7);
        for (var i = 1; i <= 1000; i++) p.Add(i, 1e-7); // 0.1 µJ per second
        Assert.Equal(100L, p.TotalMicrojoules);
    }
}
