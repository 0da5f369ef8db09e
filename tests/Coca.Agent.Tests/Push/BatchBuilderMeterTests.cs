using System.Text.Json;
using Coca.Agent.Push;
using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Units;

namespace Coca.Agent.Tests.Push;

/// <summary>Issue 16: a batch says how each job's other was charged, and a node with a meter of its own sends the meter's account.</summary>
public sealed class BatchBuilderMeterTests
{
    private static Books WithJob(NodeMeterBook? meter)
    {
        var books = new Books { Node = "n1", NodeMeter = meter };
        var book = new JobBook { JobId = "42", User = "ada", Start = 1_750_000_000, CoveredSeconds = 60 };
        book.Energy.Add(ComponentKind.Gpu, Energy.FromJoules(1_000), Provenance.Measured);
        book.Energy.Add(ComponentKind.Other, Energy.FromJoules(160), Provenance.Derived);
        books.Jobs["42"] = book;
        return books;
    }

    [Fact]
    public void A_metered_node_sends_the_charge_and_its_meters_account_and_the_schema_takes_them()
    {
        var meter = new NodeMeterBook { Device = "node:redfish", Rule = "equal", MeterUj = 5_000_000_000, CoveredComponentsUj = 4_200_000_000 };
        var batch = BatchBuilder.Build(WithJob(meter), 1, 1_750_000_060, [], []);
        Assert.Equal(new OtherCharge("equal", "node:redfish"), Assert.Single(batch.Jobs).OtherCharge);
        Assert.Equal(("node:redfish", 5_000_000_000L, 4_200_000_000L), (batch.NodeMeter!.Device, batch.NodeMeter.MeterUj, batch.NodeMeter.ComponentsUj));
        var json = JsonDocument.Parse(JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch)).RootElement;
        Assert.Null(IngestSchema.Problem(json));
        Assert.Equal("equal", json.GetProperty("jobs")[0].GetProperty("other_charge").GetProperty("rule").GetString());
        Assert.Equal(4_200_000_000, json.GetProperty("node_meter").GetProperty("components_uj").GetInt64());
    }

    [Fact]
    public void A_calibrated_node_sends_the_models_charge_with_its_error_but_no_meter_account()
    {
        var model = new NodeMeterBook { Device = "model:calibration n51", Rule = "proportional", MapePct = 4.5, MeterUj = 9, CoveredComponentsUj = 8 };
        var batch = BatchBuilder.Build(WithJob(model), 1, 1_750_000_060, [], []);
        Assert.Equal(new OtherCharge("proportional", "model:calibration n51", 4.5), Assert.Single(batch.Jobs).OtherCharge);
        Assert.Null(batch.NodeMeter); // a model's "meter" is the components scaled: no gap to the wall in it
        Assert.Null(Assert.Single(BatchBuilder.Build(WithJob(null), 1, 1_750_000_060, [], []).Jobs).OtherCharge);
    }
}
