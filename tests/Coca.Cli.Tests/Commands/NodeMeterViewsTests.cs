using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Units;
using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>Issue 16 from the store: coca job says how other was charged, coca findings gives the gap to the wall.</summary>
public sealed class NodeMeterViewsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("coca-node-meter-views");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private CocaProcess.Result Coca(params string[] args) => CocaProcess.Run([.. args, "--db", Db]);

    private void Seed(Action<IJobStore> write)
    {
        using (var store = JobStores.Open(Db))
        {
            store.Migrate();
            store.UpsertAccounting([new AccountingJob { JobIdRaw = "10", JobId = "10", User = "alice", Nodes = "n1", State = "COMPLETED", Submit = T0, Start = T0, End = T0.AddHours(1) }]);
            write(store);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static JobMeasurement Job(OtherCharge charge)
    {
        var energy = ComponentEnergy.Of(Energy.Zero, Energy.Zero, gpu: Energy.FromKwh(1), other: Energy.FromKwh(0.31));
        energy.SetProvenance(ComponentKind.Gpu, Provenance.Measured);
        energy.SetProvenance(ComponentKind.Other, Provenance.Derived);
        return new JobMeasurement { JobIdRaw = "10", Node = "n1", User = "alice", Energy = energy, Coverage = 1, AsOf = T0.AddHours(1), Final = true, OtherCharge = charge };
    }

    [Fact]
    public void Job_from_the_store_shows_other_with_its_rule_and_basis_in_text_and_json()
    {
        Seed(s => s.Ingest("n1", [Job(new OtherCharge("proportional", "node:redfish"))], []));
        var text = Coca("job", "10");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Matches(@"other +\S+ k?Wh +derived", text.Stdout);
        Assert.Contains("other charged by the proportional rule, from node:redfish (measured by the node's meter)", text.Stdout, StringComparison.Ordinal);
        var charge = JsonDocument.Parse(Coca("job", "10", "--json").Stdout).RootElement.GetProperty("other_charge");
        Assert.Equal(("proportional", "measured", "node:redfish"), (charge.GetProperty("rule").GetString(), charge.GetProperty("basis").GetString(), charge.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, charge.GetProperty("calibration").ValueKind);
    }

    [Fact]
    public void A_calibrated_jobs_band_is_wider_than_the_same_job_on_a_metered_node()
    {
        Seed(s => s.Ingest("n1", [Job(new OtherCharge("proportional", "node:redfish"))], []));
        var metered = JsonDocument.Parse(Coca("job", "10", "--json").Stdout).RootElement.GetProperty("uncertainty_j");
        Seed(s => s.Ingest("n1", [Job(new OtherCharge("proportional", "model:calibration n51", 6)) with { AsOf = T0.AddHours(2) }], []));
        var result = Coca("job", "10", "--json");
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("calibration n51", json.GetProperty("other_charge").GetProperty("calibration").GetString());
        var calibrated = json.GetProperty("uncertainty_j");
        Assert.True(calibrated.GetProperty("high").GetDouble() > metered.GetProperty("high").GetDouble());
        Assert.Contains("derived from calibration n51, mean error 6 %", Coca("job", "10").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_report_the_planted_gap_to_the_wall_per_node_and_say_when_there_is_none()
    {
        Seed(_ => { });
        var none = Coca("findings", "--json");
        Assert.True(none.ExitCode == 0, none.Stderr);
        Assert.Equal(JsonValueKind.Null, none.Json.GetProperty("meter_gap").GetProperty("gap_pct").ValueKind);
        Assert.Contains("no node meter data", none.Json.GetProperty("meter_gap").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("no node meter data", Coca("findings").Stdout, StringComparison.Ordinal);

        Seed(s =>
        {
            // Two hours on n1 at 16 %, one on n2 at 36 %, reported cumulatively every half hour.
            s.RecordNodeMeter("n1", new NodeMeterTotals("node:wattmeter", 3_600_000_000_000, 3_024_000_000_000, T0.AddMinutes(30)));
            s.RecordNodeMeter("n1", new NodeMeterTotals("node:wattmeter", 7_200_000_000_000, 6_048_000_000_000, T0.AddMinutes(90)));
            s.RecordNodeMeter("n2", new NodeMeterTotals("node:redfish", 3_600_000_000_000, 2_304_000_000_000, T0.AddMinutes(30)));
        });
        var json = Coca("findings", "--json").Json.GetProperty("meter_gap");
        Assert.Equal((7_200.0 + 3_600 - 6_048 - 2_304) / (7_200 + 3_600) * 100, json.GetProperty("gap_pct").GetDouble(), 6);
        Assert.Equal((2, 3), (json.GetProperty("nodes").GetInt32(), json.GetProperty("hours").GetInt32()));
        var perNode = json.GetProperty("per_node").EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!, n => n.GetProperty("gap_pct").GetDouble());
        Assert.Equal(16, perNode["n1"], 6);
        Assert.Equal(36, perNode["n2"], 6);
        var text = string.Join(' ', Coca("findings").Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)); // the terminal may wrap
        Assert.Contains("22.7 % of what the node meters saw is not in CPU + DRAM + GPU (3.00 kWh at the meters, 2.32 kWh in the components", text, StringComparison.Ordinal);
        Assert.Contains("over 3 metered hour(s) on 2 node(s)", text, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
