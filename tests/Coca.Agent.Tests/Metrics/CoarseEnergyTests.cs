using System.Text;
using Coca.Agent.Metrics;

namespace Coca.Agent.Tests.Metrics;

public class CoarseEnergyTests
{
    [Theory]
    [InlineData("coca_device_energy_joules_total{d=\"a b\"} 1.5\n", "coca_device_energy_joules_total{d=\"a b\"} 1\n")]
    [InlineData("coca_idle_energy_joules_total{c=\"gpu\"} 12\n", "coca_idle_energy_joules_total{c=\"gpu\"} 12\n")]
    [InlineData("coca_unattributed_energy_joules_total{c=\"cpu\"} 0.999", "coca_unattributed_energy_joules_total{c=\"cpu\"} 0")]
    [InlineData("coca_device_energy_joules_total{d=\"a\"} 1.2345678901234567E+16\n", "coca_device_energy_joules_total{d=\"a\"} 1.2345678901234567E+16\n")]
    [InlineData("# HELP coca_device_power_watts Power 1.5\ncoca_agent_ticks_total 3\n", "# HELP coca_device_power_watts Power 1.5\ncoca_agent_ticks_total 3\n")]
    public void Energy_and_power_lose_their_fraction_and_nothing_else_changes(string page, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(page);
        var length = CoarseEnergy.Apply(bytes);
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes, 0, length));
    }
}
