using Coca.Core.Metrics;

namespace Coca.Core.Tests.Metrics;

public class MetricCsvTests
{
    [Fact]
    public void A_run_file_keeps_good_lines_and_says_why_each_bad_one_was_refused()
    {
        var (points, errors) = MetricCsv.ParseRun([
            "name,value,step,time",
            "accuracy,0.91,3,2026-11-30T12:00:00.000Z",
            "loss,NaN,,",
            "loss,0.5",
            "bad name,1,,",
            "loss,0.4,-1,",
            "loss,0.3,,yesterday",
            "loss,0.2,4,1764504000",
        ]);

        Assert.Equal(3, points.Count);
        Assert.Equal(new MetricPoint("accuracy", 0.91, 3, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)), points[0]);
        Assert.Equal(new MetricPoint("loss", 0.5, null, null), points[1]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764504000), points[2].Time);
        Assert.Equal([3, 5, 6, 7], errors.Select(e => e.Line));
        Assert.Contains("finite", errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_line_reads_back_as_written()
    {
        var p = new MetricPoint("val/acc", 0.1 + 0.2, 7, new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        Assert.Equal(p, MetricCsv.ParseRun([MetricCsv.RunLine(p)]).Points.Single());
    }

    [Fact]
    public void An_export_validates_job_ids_and_numbers_unstepped_values_in_file_order()
    {
        var (metrics, errors) = MetricCsv.ParseJobs([
            "job_id,name,value,step,time",
            "101,accuracy,0.80",
            "101,accuracy,0.85",
            "101_2,accuracy,0.70,10,",
            "../etc,accuracy,0.9",
            "101,accuracy,0.9",
            "102,loss,inf",
        ]);

        Assert.Equal(["101:0", "101:1", "101_2:10", "101:2"], metrics.Select(m => $"{m.JobId}:{m.Point.Step}"));
        Assert.Equal([5, 7], errors.Select(e => e.Line));
        Assert.Contains("not a Slurm job id", errors[0].Reason, StringComparison.Ordinal);
    }
}
