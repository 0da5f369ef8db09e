using Coca.Core.Analysis;

namespace Coca.Core.Tests.Analysis;

public sealed class MeterGapTests
{
    [Fact]
    public void A_planted_gap_is_recovered_overall_and_per_node_with_the_hours_behind_it()
    {
        // Twelve nodes a year: each hour the wall sees 1 kWh and the components 0.84 (16 %), except n07 at 0.64 (36 %).
        var sums = Enumerable.Range(1, 12).Select(i => new NodeMeterSum($"n{i:00}", 8_760, 8_760 * 3.6e6, 8_760 * 3.6e6 * (i == 7 ? 0.64 : 0.84))).ToList();
        var gap = MeterGap.Of(sums);
        Assert.Equal((12L, 12L * 8_760, (string?)null), (gap.Nodes, gap.Hours, gap.Reason));
        Assert.Equal((11 * 16 + 36) / 12.0, gap.GapPct!.Value, 9);
        Assert.Equal(36, gap.PerNode.Single(n => n.Node == "n07").GapPct!.Value, 9);
        Assert.Equal(16, gap.PerNode.Single(n => n.Node == "n01").GapPct!.Value, 9);
        Assert.Equal(12 * 8_760, gap.NodeEnergyKwh!.Value, 6);
    }

    [Fact]
    public void No_meter_data_says_so_and_is_no_figure_not_zero()
    {
        foreach (var gap in new[] { MeterGap.Of([]), MeterGap.Of([new NodeMeterSum("n1", 3, 0, 0)]), new StudyFindings().Finish().MeterGap })
        {
            Assert.Null(gap.GapPct);
            Assert.Equal(0, gap.Nodes);
            Assert.Contains("no node meter data", gap.Reason, StringComparison.Ordinal);
        }
    }
}
