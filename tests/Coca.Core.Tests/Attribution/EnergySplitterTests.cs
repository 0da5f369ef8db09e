using Coca.Core.Attribution;

namespace Coca.Core.Tests.Attribution;

public class EnergySplitterTests
{
    [Fact]
    public void Exclusive_gpu_held_all_interval_goes_to_its_job()
    {
        var s = EnergySplitter.Split("gpu0", 1_000_000, 0, 10, [new Holding("job1", "gpu0", -5, 100, 1)]);
        Assert.Equal([("job1", 1_000_000L)], s.Consumers);
        Assert.Equal(0, s.IdleUj);
    }

    [Fact]
    public void Job_holding_part_of_the_interval_gets_the_overlapping_fraction_the_rest_is_idle()
    {
        var s = EnergySplitter.Split("gpu0", 1_000_000, 0, 10, [new Holding("job1", "gpu0", 7.5, double.PositiveInfinity, 1)]);
        Assert.Equal(250_000, s.Consumers.Single().EnergyUj);
        Assert.Equal(750_000, s.IdleUj);
    }

    [Fact]
    public void Cpu_shares_split_a_package_and_the_unused_part_is_idle()
    {
        var s = EnergySplitter.Split("package-0", 900, 0, 1,
        [
            new Holding("a", "package-0", 0, 1, 0.5),
            new Holding("b", "package-0", 0, 1, 0.25),
        ]);
        Assert.Equal([("a", 450L), ("b", 225L)], s.Consumers);
        Assert.Equal(225, s.IdleUj);
        Assert.Equal(0, s.UnattributedUj);
    }

    [Fact]
    public void Shares_above_the_whole_device_are_normalised()
    {
        var s = EnergySplitter.Split("package-0", 1_000, 0, 1,
        [
            new Holding("a", "package-0", 0, 1, 0.9),
            new Holding("b", "package-0", 0, 1, 0.6),
        ]);
        Assert.Equal(600, s.Consumers[0].EnergyUj);
        Assert.Equal(400, s.Consumers[1].EnergyUj);
        Assert.Equal(0, s.IdleUj);
    }

    [Fact]
    public void Unknown_share_leaves_the_unclaimed_part_unattributed_not_idle()
    {
        var s = EnergySplitter.Split("package-0", 1_000, 0, 1,
        [
            new Holding("a", "package-0", 0, 1, 0.3),
            new Holding("b", "package-0", 0, 1, double.NaN),
        ]);
        Assert.Equal(300, s.Consumers.Single().EnergyUj);
        Assert.Equal(700, s.UnattributedUj);
        Assert.Equal(0, s.IdleUj);
    }

    [Fact]
    public void Holdings_of_other_devices_are_ignored()
    {
        var s = EnergySplitter.Split("gpu1", 500, 0, 1, [new Holding("a", "gpu0", 0, 1, 1)]);
        Assert.Empty(s.Consumers);
        Assert.Equal(500, s.IdleUj);
    }

    [Fact]
    public void Rounding_never_loses_or_invents_a_microjoule()
    {
        var s = EnergySplitter.Split("p", 10, 0, 3, [new Holding("a", "p", 0, 1, 1), new Holding("b", "p", 1, 2, 1), new Holding("c", "p", 2, 3, 1)]);
        Assert.Equal(10, s.Consumers.Sum(c => c.EnergyUj) + s.IdleUj + s.UnattributedUj);
        Assert.All(s.Consumers, c => Assert.InRange(c.EnergyUj, 3, 4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Conservation_holds_exactly_over_random_scenarios(int seed)
    {
        // Kepler's TestEnergyConservation, for this engine: jobs + idle + unattributed = device energy, to the µJ.
        var random = new Random(seed);
        var ledger = new AttributionLedger();
        long total = 0;
        for (var scenario = 0; scenario < 300; scenario++)
        {
            var devices = Enumerable.Range(0, random.Next(1, 6)).Select(d => $"dev{d}").ToArray();
            var holdings = new List<Holding>();
            for (var j = 0; j < random.Next(0, 8); j++)
            {
                var from = random.NextDouble() * 20 - 5;
                var to = random.NextDouble() < 0.2 ? double.PositiveInfinity : from + random.NextDouble() * 15;
                var share = random.NextDouble() switch { < 0.1 => double.NaN, < 0.4 => 1.0, var x => x };
                holdings.Add(new Holding($"job{j}", devices[random.Next(devices.Length)], from, to, share));
            }
            var start = random.NextDouble() * 10;
            var end = start + random.NextDouble() * 5;
            foreach (var device in devices)
            {
                var energy = random.NextInt64(0, 5_000_000_000);
                total += energy;
                var split = EnergySplitter.Split(device, energy, start, end, holdings);
                Assert.Equal(energy, split.Consumers.Sum(c => c.EnergyUj) + split.IdleUj + split.UnattributedUj);
                Assert.All(split.Consumers, c => Assert.True(c.EnergyUj >= 0));
                ledger.Add(split, (Coca.Core.Units.ComponentKind)random.Next(4));
            }
        }
        Assert.Equal(0, ledger.Residual());
        long deviceSum = 0;
        foreach (var v in ledger.DeviceUj) deviceSum += v;
        Assert.Equal(total, deviceSum);
    }

    [Fact]
    public void Apportion_matches_proportions_within_one_microjoule()
    {
        var parts = EnergySplitter.Apportion(1_000_003, [0.5, 0.25, 0.25]);
        Assert.Equal(1_000_003, parts.Sum());
        Assert.InRange(parts[0], 500_001, 500_002);
    }
}
