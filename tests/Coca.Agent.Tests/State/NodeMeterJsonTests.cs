using System.Text;
using System.Text.Json;
using Coca.Agent.State;
using Coca.Core.Attribution;

namespace Coca.Agent.Tests.State;

public class NodeMeterJsonTests
{
    [Fact]
    public void A_node_meters_account_is_written_as_the_serializer_writes_it_and_read_back()
    {
        var state = new Books { Node = "n51", TakenAt = 1_700_000_000 };
        state.NodeMeter = new NodeMeterBook { Device = "node:redfish", Rule = "equal", MeterUj = 9_000, CoveredComponentsUj = 7_000, OtherUj = 2_500, DeficitUj = 500, NegativeIntervals = 3 };
        var written = new StateWriter().Write(state);
        Assert.Equal(JsonSerializer.Serialize(state, AgentJsonContext.Default.Books), Encoding.UTF8.GetString(written));
        var back = JsonSerializer.Deserialize(written, AgentJsonContext.Default.Books)!;
        Assert.Equal((9_000L, 7_000L, 2_500L, 500L, 3L, "equal"), (back.NodeMeter!.MeterUj, back.NodeMeter.CoveredComponentsUj, back.NodeMeter.OtherUj, back.NodeMeter.DeficitUj, back.NodeMeter.NegativeIntervals, back.NodeMeter.Rule));
    }
}
