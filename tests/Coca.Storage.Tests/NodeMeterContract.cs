using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Reports;
using Coca.Core.Units;
using Coca.Storage.Json;

namespace Coca.Storage.Tests;

/// <summary>Issue 16 on both stores: how a job's other was charged survives ingest, and the node meters' hours give the gap to the wall.</summary>
public sealed class NodeMeterContract : StoreFixture
{
    private static JobMeasurement WithOther(string node, OtherCharge? charge, long otherUj = 1_116_000_000_000, Provenance otherProvenance = Provenance.Derived)
    {
        var m = Measured("10", node, 3_600_000_000_000); // 1 kWh of GPU
        var energy = m.Energy;
        energy.Add(ComponentKind.Other, new Energy(otherUj), otherProvenance); // 0.31 kWh
        return m with { Energy = energy, OtherCharge = charge };
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Ingest_keeps_others_rule_and_meter_and_the_job_shows_them(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("10")]);
        store.Ingest("n1", [WithOther("n1", new OtherCharge("proportional", "node:redfish"))], []);
        var job = store.Job("10")!;
        Assert.Equal(new OtherCharge("proportional", "node:redfish"), job.OtherCharge);
        Assert.Equal("measured", job.OtherCharge!.Basis);
        Assert.Null(job.OtherCharge.Calibration);
        var json = JobJson.From(job);
        Assert.Equal("node:redfish", json.OtherCharge!.Source);
        var serialized = System.Text.Json.JsonSerializer.Serialize(json, StoreJsonContext.Relaxed.JobJson);
        Assert.Contains("\"other_charge\": {", serialized, StringComparison.Ordinal);
        Assert.Contains("\"basis\": \"measured\"", serialized, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_calibrated_nodes_other_is_derived_from_its_calibration_and_its_error_widens_the_band(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("10"), Job("11")]);
        store.Ingest("n1", [WithOther("n1", new OtherCharge("equal", "model:calibration n51", 2))], []);
        store.Ingest("n1", [WithOther("n1", new OtherCharge("equal", "model:calibration n51", 8)) with { JobIdRaw = "11" }], []);
        var sure = store.Job("10")!;
        var unsure = store.Job("11")!;
        Assert.Equal(("derived", "calibration n51", 2.0), (sure.OtherCharge!.Basis, sure.OtherCharge.Calibration, sure.OtherCharge.MapePct!.Value));
        var narrow = JobJson.From(sure).UncertaintyJ!;
        var wide = JobJson.From(unsure).UncertaintyJ!;
        Assert.True(wide.High - wide.Low > narrow.High - narrow.Low, $"{wide} vs {narrow}");
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_jobs_nodes_charges_are_combined_and_the_largest_model_error_kept(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("10", nodes: "n[1-3]")]);
        store.UpsertMeasurements([
            WithOther("n1", new OtherCharge("proportional", "node:wattmeter")),
            WithOther("n2", new OtherCharge("proportional", "model:calibration n51", 3.5)),
            WithOther("n3", null, otherUj: 0, otherProvenance: Provenance.None)]);
        var charge = store.Job("10")!.OtherCharge!;
        Assert.Equal(("proportional", "node:wattmeter, model:calibration n51", 3.5), (charge.Rule, charge.Source, charge.MapePct!.Value));
        Assert.Equal("derived", charge.Basis); // part of it came from a model: not all measured
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_job_without_a_meter_or_model_has_no_charge(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("10")]);
        store.UpsertMeasurements([Measured("10", "n1", 1_000)]);
        Assert.Null(store.Job("10")!.OtherCharge);
        Assert.Null(JobJson.From(store.Job("10")!).OtherCharge);
    }

    private static NodeMeterTotals Totals(long meterJ, long componentsJ, DateTimeOffset at) => new("node:wattmeter", meterJ * 1_000_000, componentsJ * 1_000_000, at);

    [Theory, MemberData(nameof(Kinds))]
    public void The_steps_of_each_nodes_cumulative_reports_give_the_gap_to_the_wall(string kind)
    {
        using var store = Open(kind);
        Assert.Empty(store.NodeMeterSums(null, null));
        // n1: 16 % gap over two hours, with a replayed (older) report and a reset of its books between them.
        store.RecordNodeMeter("n1", Totals(1_000, 840, T0.AddMinutes(10)));
        store.RecordNodeMeter("n1", Totals(2_000, 1_680, T0.AddMinutes(20)));
        store.RecordNodeMeter("n1", Totals(1_500, 1_000, T0.AddMinutes(15))); // older than the last: nothing
        store.RecordNodeMeter("n1", Totals(500, 420, T0.AddMinutes(70)));     // books reset: counts whole, in the next hour
        store.RecordNodeMeter("n1", Totals(500, 420, T0.AddMinutes(80)));     // nothing covered since: no step
        // n2: 36 % gap in one hour.
        store.RecordNodeMeter("n2", Totals(10_000, 6_400, T0.AddMinutes(5)));
        var sums = store.NodeMeterSums(null, null);
        Assert.Equal(["n1", "n2"], sums.Select(s => s.Node));
        Assert.Equal((2L, 2_500.0, 2_100.0), (sums[0].Hours, sums[0].MeterJ, sums[0].ComponentsJ));
        var gap = Core.Analysis.MeterGap.Of(sums);
        Assert.Equal(16, gap.PerNode[0].GapPct!.Value, 9);
        Assert.Equal(36, gap.PerNode[1].GapPct!.Value, 9);
        Assert.Equal((12_500.0 - 8_500) / 12_500 * 100, gap.GapPct!.Value, 9);
        Assert.Equal((2L, 3L), (gap.Nodes, gap.Hours));
        // A period after the first hour holds only n1's second.
        Assert.Equal([("n1", 1L)], store.NodeMeterSums(T0.AddMinutes(60), null).Select(s => (s.Node, s.Hours)));
    }
}
