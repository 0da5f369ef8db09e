using Coca.Core.Reports;

namespace Coca.Core.Tests.Reports;

public class JobReportSeffTests
{
    private static JobReport Report() => new()
    {
        JobId = "42",
        Name = "train",
        State = "FAILED",
        ElapsedS = 7200,
        Efficiency = JobEfficiency.Of(7200, 14_400, 8, null, 16L << 30, 14_400),
        PerGpu = [new GpuUse("n1", "gpu:GPU-a", 0.45, 120), new GpuUse("n1", "gpu:GPU-b", null, 0)],
        Tags = new Dictionary<string, string> { ["model"] = "resnet50", ["task"] = "train" },
        Framework = "pytorch",
        Interactive = false,
        Fingerprint = "00000000000000ff",
    };

    [Fact]
    public void The_store_report_shows_seff_figures_per_gpu_use_and_the_type_of_activity()
    {
        var text = JobReportText.Render(Report());
        Assert.Contains("CPU         efficiency 25 %", text, StringComparison.Ordinal);
        Assert.Contains("memory      efficiency unknown: peak memory unknown", text, StringComparison.Ordinal);
        Assert.Contains("time limit  used 50 %", text, StringComparison.Ordinal);
        Assert.Contains("n1 gpu:GPU-a: utilisation 45 % (120 points); memory not recorded", text, StringComparison.Ordinal);
        Assert.Contains("n1 gpu:GPU-b: utilisation not recorded", text, StringComparison.Ordinal);
        Assert.Contains("activity    batch, framework pytorch, tags model=resnet50 task=train", text, StringComparison.Ordinal);
        Assert.Contains("fingerprint 00000000000000ff", text, StringComparison.Ordinal);
        Assert.DoesNotContain("finding", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_are_rendered_with_their_waste_and_tip_when_there_are_some()
    {
        var text = JobReportText.Render(Report() with { Findings = [new JobFinding("failed_late", 1.25, "test on a small input first"), new JobFinding("sweep", null, "stop early")] });
        Assert.Contains("finding     failed_late: 1.25 kWh wasted", text, StringComparison.Ordinal);
        Assert.Contains("tip: test on a small input first", text, StringComparison.Ordinal);
        Assert.Contains("finding     sweep: wasted energy unknown", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_the_stores_fields_renders_as_before()
    {
        var text = JobReportText.Render(new JobReport { JobId = "7", SlurmEnergyJ = 3_600 });
        foreach (var absent in new[] { "efficiency", "activity", "fingerprint", "per GPU", "finding" }) Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
        Assert.Contains("no series stored", JobReportText.Render(new JobReport { JobId = "7", PerGpu = [] }), StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_sums_measured_and_slurm_energy_apart_and_counts_the_unknown()
    {
        var array = new JobArrayReport("100", "sweep", "bob",
        [
            new ArrayTask("100_1", "FAILED", 600, 0.5, "measured"),
            new ArrayTask("100_2", "COMPLETED", 700, 0.25, "measured"),
            new ArrayTask("100_3", "COMPLETED", 800, 2.0, "slurm"),
            new ArrayTask("100_[4-5]", "PENDING", null, null, null),
        ]);
        Assert.Equal((0.75, 2, 2.0, 1, 1), (array.EnergyKwh!.Value, array.MeasuredTasks, array.SlurmEnergyKwh!.Value, array.SlurmEnergyTasks, array.UnknownEnergyTasks));
        Assert.Equal(new Dictionary<string, int> { ["COMPLETED"] = 2, ["FAILED"] = 1, ["PENDING"] = 1 }, array.States);
        var text = JobArrayReport.Render(array);
        Assert.Contains("0.75 kWh measured over 2 task(s); Slurm's own figure 2 kWh over 1 other task(s); 1 task(s) with no energy figure", text, StringComparison.Ordinal);
        Assert.Contains("COMPLETED 2, FAILED 1, PENDING 1", text, StringComparison.Ordinal);
        Assert.Null(new JobArrayReport("1", null, null, [new ArrayTask("1_1", null, null, null, null)]).EnergyKwh);
    }
}
