using Coca.Core.Simulation;
using Coca.Sources.Wattmeter;

namespace Coca.Sources.Tests.Wattmeter;

/// <summary><c>coca simulate</c>'s wattmeter feed is what the wattmeter source reads: every row a sample, none skipped, within the model's bounds.</summary>
public sealed class SimulatedFeedTests
{
    [Fact]
    public void The_simulated_feed_reads_without_a_skipped_row_and_stays_within_the_nodes_power()
    {
        var sim = ClusterSimulation.Run(new SimulationOptions { Nodes = 2, Users = 10, Days = 2, Seed = 4 });
        var text = new StringWriter();
        NodeFeeds.WriteWattmeter(sim, sim.Nodes, text);
        var parser = new WattmeterLines(WattmeterFormat.Csv, channels: null);
        var samples = new List<WattmeterSample>();
        foreach (var line in text.ToString().Split('\n')) parser.Read(line, samples);
        Assert.Equal(0, parser.Malformed);
        Assert.Equal(2 * 2 * 1440, samples.Count);
        var idle = PowerModel.NodeBaseW + 8 * PowerModel.GpuIdleW;
        var full = idle + 8 * (PowerModel.GpuMaxW - PowerModel.GpuIdleW) + 128 * (PowerModel.CoreIdleW + PowerModel.CoreBusyW + PowerModel.DramPerCoreW);
        Assert.All(samples, s => Assert.InRange(s.Watts, idle * 0.99, full * 1.01));
        Assert.Contains(samples, s => s.Watts > idle * 1.1); // some jobs ran
    }
}
