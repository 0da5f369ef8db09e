using Coca.Core.Attribution;
using Coca.Core.Reports;
using Coca.Core.Units;

namespace Coca.Core.Tests.Reports;

public class JobReportTextTests
{
    private static JobBook Book()
    {
        var book = new JobBook { JobId = "4101", User = "ada", Start = 1_750_000_000, End = 1_750_003_725, Gpus = ["gpu:GPU-a"], CpuShareBasis = "cgroup CPU time",
            GpuSeconds = 3_725, GpuBusySeconds = 1_862.5, IdleGpuSeconds = 600, LastGpuActivity = 1_750_003_125, EnergyAfterLastGpuActivityUj = 90_000_000_000, CoveredSeconds = 3_725 };
        book.Energy.Add(ComponentKind.Gpu, Energy.FromKwh(0.5), Provenance.Measured);
        book.Energy.Add(ComponentKind.Cpu, Energy.FromJoules(180_000), Provenance.Measured);
        book.Energy.Add(ComponentKind.Dram, Energy.FromJoules(9_000), Provenance.Estimated);
        return book;
    }

    [Fact]
    public void The_agents_report_and_the_stores_report_of_the_same_figures_read_the_same()
    {
        var fromAgent = JobReportText.Render(JobReport.FromBook(Book(), "gpu-01"));
        var fromStore = JobReportText.Render(JobReport.FromBook(Book(), "gpu-01") with { State = "COMPLETED", ExitCode = "0:0", Name = "train" });

        string Energy(string text) => string.Join('\n', text.Split('\n').SkipWhile(l => !l.StartsWith("  energy", StringComparison.Ordinal)));
        Assert.Equal(Energy(fromAgent), Energy(fromStore));
        Assert.Contains("(01:02:05)", fromAgent, StringComparison.Ordinal);            // one elapsed format
        Assert.Matches(@"GPU +500 Wh +measured", fromAgent);                          // one unit choice
        Assert.Contains("DRAM", fromAgent, StringComparison.Ordinal);
        Assert.Contains("estimated", fromAgent, StringComparison.Ordinal);
        Assert.Contains("would have saved 25 Wh", fromAgent, StringComparison.Ordinal);
        Assert.Contains("COMPLETED, exit code 0:0", fromStore, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_no_agent_measured_says_so_and_shows_slurms_figure_apart()
    {
        var text = JobReportText.Render(new JobReport { JobId = "7", SlurmEnergyJ = 3_600 });
        Assert.Contains("not measured", text, StringComparison.Ordinal);
        Assert.Contains("Slurm's own figure: 1 Wh", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0 J", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpus_never_busy_are_called_out_as_idle_draw()
    {
        var report = JobReport.FromBook(Book(), "n") with { GpuUtilisation = 0.01, LastGpuActivity = null, EnergyAfterLastGpuActivity = null };
        Assert.Contains("never busy", JobReportText.Render(report), StringComparison.Ordinal);
    }
}
