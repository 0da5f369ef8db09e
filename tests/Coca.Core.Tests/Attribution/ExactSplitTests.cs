using Coca.Core.Attribution;

namespace Coca.Core.Tests.Attribution;

public class ExactSplitTests
{
    private static long[] Split(long energy, double[] weights, double unknown)
    {
        var parts = new long[weights.Length + 2];
        ExactSplit.ByWeights(energy, weights, unknown, parts);
        return parts;
    }

    [Fact]
    public void Shares_split_a_device_and_the_unclaimed_part_is_idle()
    {
        Assert.Equal([450L, 225, 225, 0], Split(900, [0.5, 0.25], 0));
    }

    [Fact]
    public void Shares_above_the_whole_device_are_scaled_down_to_it()
    {
        Assert.Equal([600L, 400, 0, 0], Split(1_000, [0.9, 0.6], 0));
    }

    [Fact]
    public void Unknown_share_leaves_the_unclaimed_part_unattributed_not_idle()
    {
        Assert.Equal([300L, 0, 700], Split(1_000, [0.3], 1));
    }

    [Fact]
    public void Partly_present_unknown_share_makes_only_its_presence_unattributed()
    {
        Assert.Equal([750L, 250], Split(1_000, [], 0.25));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Rounding_never_loses_or_invents_a_microjoule(int seed)
    {
        var random = new Random(seed);
        for (var k = 0; k < 2_000; k++)
        {
            var weights = Enumerable.Range(0, random.Next(0, 9)).Select(_ => random.NextDouble() * 0.5).ToArray();
            var energy = random.NextInt64(0, 5_000_000_000);
            var parts = Split(energy, weights, random.NextDouble() < 0.2 ? random.NextDouble() : 0);
            Assert.Equal(energy, parts.Sum());
            Assert.All(parts, p => Assert.True(p >= 0));
        }
    }

    [Fact]
    public void Apportion_matches_proportions_within_one_microjoule()
    {
        var parts = ExactSplit.Apportion(1_000_003, [0.5, 0.25, 0.25]);
        Assert.Equal(1_000_003, parts.Sum());
        Assert.InRange(parts[0], 500_001, 500_002);
    }
}
