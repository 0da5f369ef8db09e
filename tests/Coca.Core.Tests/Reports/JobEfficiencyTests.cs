using Coca.Core.Reports;

namespace Coca.Core.Tests.Reports;

public class JobEfficiencyTests
{
    [Fact]
    public void Seffs_three_figures_from_the_accounting()
    {
        // 2 h on 8 CPUs with 4 h of CPU time; 3 GiB peak of 16 GiB; 2 h of a 4 h limit.
        var e = JobEfficiency.Of(7200, 14_400, 8, 3L << 30, 16L << 30, 14_400);
        Assert.Equal(0.25, e.Cpu.Value!.Value, 9);
        Assert.Equal(3.0 / 16, e.Memory.Value!.Value, 9);
        Assert.Equal(0.5, e.TimeLimit.Value!.Value, 9);
        Assert.All([e.Cpu, e.Memory, e.TimeLimit], s => Assert.Null(s.Reason));
    }

    [Theory]
    [InlineData(null, 100.0, 8, "did not run")]
    [InlineData(0L, 100.0, 8, "did not run")]
    [InlineData(3600L, null, 8, "TotalCPU")]
    [InlineData(3600L, 100.0, null, "AllocCPUS")]
    [InlineData(3600L, 100.0, 0, "AllocCPUS")]
    public void Cpu_efficiency_is_unknown_with_its_reason_when_an_input_is_missing(long? elapsed, double? cpu, int? cpus, string reason)
    {
        var e = JobEfficiency.Of(elapsed, cpu, cpus, null, null, null);
        Assert.Null(e.Cpu.Value);
        Assert.Contains(reason, e.Cpu.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_and_time_limit_are_unknown_with_their_reasons_never_zero()
    {
        var noRss = JobEfficiency.Of(60, 1, 1, null, 1L << 30, null);
        Assert.Contains("MaxRSS", noRss.Memory.Reason, StringComparison.Ordinal);
        Assert.Contains("UNLIMITED", noRss.TimeLimit.Reason, StringComparison.Ordinal);
        var noRequest = JobEfficiency.Of(60, 1, 1, 1L << 30, null, 0);
        Assert.Contains("ReqMem", noRequest.Memory.Reason, StringComparison.Ordinal);
        Assert.Null(noRequest.TimeLimit.Value);
        // A job that used more than it asked shows it: over 100 %, not capped.
        Assert.Equal(2.0, JobEfficiency.Of(120, 1, 1, 2L << 30, 1L << 30, 60).Memory.Value!.Value, 9);
    }
}
