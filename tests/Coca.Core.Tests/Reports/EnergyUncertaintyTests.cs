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
}
