using Coca.Core.Attribution;
using Coca.Core.Reports;
using Coca.Core.Units;

namespace Coca.Core.Tests.Reports;

public class EnergyUncertaintyTests
{
    [Fact]
    public void Components_errors_add_in_quadrature_by_their_provenance()
    {
        var energy = ComponentEnergy.Of(cpu: Energy.FromJoules(300), dram: Energy.FromJoules(100), gpu: Energy.FromJoules(400), other: Energy.Zero);
        energy.SetProvenance(ComponentKind.Cpu, Provenance.Measured);   // ±5 % → 15 J
        energy.SetProvenance(ComponentKind.Dram, Provenance.Estimated); // ±50 % → 50 J
        energy.SetProvenance(ComponentKind.Gpu, Provenance.Measured);   // ±5 % → 20 J
        var band = EnergyUncertainty.Of(energy, coverage: 1)!;
        var half = Math.Sqrt(15 * 15 + 50 * 50 + 20 * 20);
        Assert.Equal(800 - half, band.Low, 9);
        Assert.Equal(800 + half, band.High, 9);
    }

    [Fact]
    public void Time_without_readings_widens_the_band_upwards_only()
    {
        var energy = ComponentEnergy.Of(Energy.Zero, Energy.Zero, gpu: Energy.FromJoules(1_000), Energy.Zero);
        energy.SetProvenance(ComponentKind.Gpu, Provenance.Measured);
        var full = EnergyUncertainty.Of(energy, 1)!;
        var half = EnergyUncertainty.Of(energy, 0.5)!;
        Assert.Equal(full.Low, half.Low, 9);
        Assert.Equal(full.High + 1_000, half.High, 9); // the unseen half, at the seen rate
    }

    [Fact]
    public void A_job_without_figures_has_no_band_and_a_band_never_goes_below_zero()
    {
        Assert.Null(EnergyUncertainty.Of(new ComponentEnergy(), 1));
        var estimated = ComponentEnergy.Of(cpu: Energy.FromJoules(10), Energy.Zero, Energy.Zero, Energy.Zero);
        estimated.SetProvenance(ComponentKind.Cpu, Provenance.Estimated);
        Assert.True(EnergyUncertainty.Of(estimated, 1)!.Low >= 0);
    }

    [Fact]
    public void The_report_shows_the_band_beside_the_figure_and_in_its_json()
    {
        var book = new JobBook { JobId = "9", User = "ada", Start = 1_750_000_000, End = 1_750_003_600, CoveredSeconds = 3_600 };
        book.Energy.Add(ComponentKind.Gpu, Energy.FromKwh(2), Provenance.Measured);
        var report = JobReport.FromBook(book, "n1");
        Assert.Contains("energy      2 kWh (1.9–2.1)", JobReportText.Render(report), StringComparison.Ordinal);
        var json = System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        Assert.Contains("\"uncertainty_j\":{\"low\":6840000,\"high\":7560000}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_says_how_other_was_charged_when_the_node_has_a_meter_or_a_model()
    {
        var book = new JobBook { JobId = "9", User = "ada", Start = 1_750_000_000, End = 1_750_000_060, CoveredSeconds = 60 };
        book.Energy.Add(ComponentKind.Other, Energy.FromJoules(600), Provenance.Derived);
        var meter = new NodeMeterBook { Device = "model:calibration n51", Rule = "proportional" };
        Assert.Contains("other charged by the proportional rule, from model:calibration n51", JobReportText.Render(JobReport.FromBook(book, "n52", meter)), StringComparison.Ordinal);
        Assert.DoesNotContain("other charged by", JobReportText.Render(JobReport.FromBook(book, "n52")), StringComparison.Ordinal);
    }

    private static ComponentEnergy GpuAndOther(double gpuJ, double otherJ)
    {
        var energy = ComponentEnergy.Of(Energy.Zero, Energy.Zero, gpu: Energy.FromJoules(gpuJ), other: Energy.FromJoules(otherJ));
        energy.SetProvenance(ComponentKind.Gpu, Provenance.Measured);
        energy.SetProvenance(ComponentKind.Other, Provenance.Derived);
        return energy;
    }

    [Fact]
    public void A_calibration_models_larger_error_widens_the_band_of_the_same_job()
    {
        var energy = GpuAndOther(1_000, 300);
        var sure = EnergyUncertainty.Of(energy, 1, new OtherCharge("proportional", "model:calibration n51", 2))!;
        var unsure = EnergyUncertainty.Of(energy, 1, new OtherCharge("proportional", "model:calibration n51", 8))!;
        Assert.True(unsure.High - unsure.Low > sure.High - sure.Low);
        // The sensors' errors (GPU 5 % of 1000 J, other derived 10 % of 300 J) and the model's (8 % of the job's 1300 J) in quadrature.
        Assert.Equal(1_300 + Math.Sqrt(50 * 50 + 30 * 30 + 104 * 104), unsure.High, 9);
    }

    [Fact]
    public void A_meters_charge_or_a_model_without_an_error_adds_nothing_to_the_band()
    {
        var energy = GpuAndOther(1_000, 300);
        var plain = EnergyUncertainty.Of(energy, 1)!;
        Assert.Equal(plain, EnergyUncertainty.Of(energy, 1, new OtherCharge("proportional", "node:redfish")));
        Assert.Equal(plain, EnergyUncertainty.Of(energy, 1, new OtherCharge("proportional", "model:calibration n51")));
    }

    [Fact]
    public void The_agents_report_carries_the_models_error_from_its_books_into_the_band_and_the_words()
    {
        var book = new JobBook { JobId = "9", User = "ada", Start = 1_750_000_000, End = 1_750_000_060, CoveredSeconds = 60 };
        book.Energy.Add(ComponentKind.Gpu, Energy.FromJoules(1_000), Provenance.Measured);
        book.Energy.Add(ComponentKind.Other, Energy.FromJoules(300), Provenance.Derived);
        var model = JobReport.FromBook(book, "n52", new NodeMeterBook { Device = "model:calibration n51", Rule = "cores", MapePct = 8 });
        var meter = JobReport.FromBook(book, "n52", new NodeMeterBook { Device = "node:wattmeter", Rule = "cores" });
        Assert.True(model.UncertaintyJ!.High > meter.UncertaintyJ!.High);
        Assert.Equal(("cores", "derived", "calibration n51", 8.0), (model.OtherCharge!.Rule, model.OtherCharge.Basis, model.OtherCharge.Calibration, model.OtherCharge.MapePct!.Value));
        Assert.Contains("other charged by the cores rule, from model:calibration n51 (derived from calibration n51, mean error 8 %)", JobReportText.Render(model), StringComparison.Ordinal);
        Assert.Contains("other charged by the cores rule, from node:wattmeter (measured by the node's meter)", JobReportText.Render(meter), StringComparison.Ordinal);
        var json = System.Text.Json.JsonSerializer.Serialize(model, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        Assert.Contains("\"other_charge\":{\"rule\":\"cores\",\"source\":\"model:calibration n51\",\"mape_pct\":8,\"basis\":\"derived\",\"calibration\":\"calibration n51\"}", json, StringComparison.Ordinal);
    }
}
