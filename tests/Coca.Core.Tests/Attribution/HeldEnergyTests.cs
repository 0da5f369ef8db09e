using Coca.Core.Attribution;
using Coca.Core.Units;

namespace Coca.Core.Tests.Attribution;

public class HeldEnergyTests
{
    [Fact]
    public void Energy_between_two_moments_follows_each_ticks_own_draw()
    {
        var held = new HeldEnergy();
        held.Add(100, 101, 10, Provenance.Measured);   // 10 µJ over (100, 101]
        held.Add(101, 102, 90, Provenance.Derived);    // 90 µJ over (101, 102]
        Assert.Equal(100, held.Uj);
        Assert.Equal(100, held.From);
        Assert.Equal(102, held.To);
        Assert.Equal(Provenance.Derived, held.Provenance); // the weakest seen
        Assert.Equal(5 + 45, held.Between(100.5, 101.5), 9); // half of each tick, not half of the average
        Assert.Equal(100, held.Between(0, 1000), 9);
        Assert.Equal(0, held.Between(50, 100), 9);
    }

    [Fact]
    public void A_window_longer_than_any_before_grows_and_a_cleared_one_starts_afresh()
    {
        var held = new HeldEnergy();
        for (var t = 0; t < 500; t++) held.Add(t, t + 1, t, Provenance.Measured);
        Assert.Equal(499L * 500 / 2, held.Uj);
        Assert.Equal(250, held.Between(250, 251), 9);
        held.Clear();
        Assert.False(held.Open);
        held.Add(1000, 1001, 7, Provenance.Measured);
        Assert.Equal(7, held.Between(999, 1001.5), 9);
        Assert.Equal(1000, held.From);
    }
}
