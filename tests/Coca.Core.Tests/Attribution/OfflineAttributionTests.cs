using Coca.Core.Attribution.Offline;
using Coca.Core.Units;

namespace Coca.Core.Tests.Attribution;

public class OfflineAttributionTests
{
    [Fact]
    public void Wrapping_counter_and_power_only_device_are_attributed_exactly()
    {
        const string readings = """
            time,node,device,energy_j,power_w,max_energy_j
            0,n1,package-0,990,,1000
            10,n1,package-0,20,,1000
            0,n1,gpu0,,100,
            10,n1,gpu0,,300,
            """;
        const string jobs = """
            job_id,user,node,start,end,gpus,cpu_share
            42,alice,n1,0,10,gpu0,0.5
            """;
        var problems = new List<string>();
        var result = OfflineAttribution.Run(RecordedReadings.Parse(readings, problems), RecordedJobs.Parse(jobs, problems));

        Assert.Empty(problems);
        // package: 990 → 1000 → 0 → 20 is 10 + 0.000001 + 20 J; the job holds half.
        Assert.Equal(15_000_001L, result.JobEnergy("42")[ComponentKind.Cpu].Microjoules); // half of 30,000,001 µJ; a tie goes to the first part
        Assert.Equal(2_000_000_000L, result.JobEnergy("42")[ComponentKind.Gpu].Microjoules); // (100+300)/2 × 10 s
        Assert.Equal(Provenance.Derived, result.JobEnergy("42").ProvenanceOf(ComponentKind.Gpu));
        Assert.Equal(0, result.ResidualUj);
    }

    [Fact]
    public void Rows_in_any_order_and_iso_times_with_offsets_are_accepted()
    {
        const string readings = """
            device,time,node,energy_j
            gpu1,2026-01-01T00:00:10+00:00,n,30
            gpu1,2026-01-01T01:00:00+01:00,n,10
            """;
        var problems = new List<string>();
        var series = Assert.Single(RecordedReadings.Parse(readings, problems));
        Assert.Empty(problems);
        Assert.Equal((10.0, 20_000_000L), (series.Points[1].Time - series.Points[0].Time, series.Total.Microjoules));
    }

    [Fact]
    public void Decrease_without_range_is_a_reset_counting_the_new_value()
    {
        const string readings = "time,node,device,energy_j\n0,n,gpu0,500\n1,n,gpu0,600\n2,n,gpu0,5\n";
        var series = Assert.Single(RecordedReadings.Parse(readings, []));
        Assert.Equal([0L, 100_000_000L, 105_000_000L], series.Points.Select(p => p.CumulativeUj));
    }

    [Fact]
    public void Bad_rows_are_reported_by_line_and_the_rest_is_kept()
    {
        const string readings = """
            time,node,device,energy_j,power_w,max_energy_j
            0,n,gpu0,0,,
            yesterday,n,gpu0,5,,
            1,n,gpu0,,,
            2,n,gpu0,-4,,
            3,n,gpu0,30,,
            2026-01-01T00:00:00,n,gpu0,1,,
            """;
        var problems = new List<string>();
        var series = Assert.Single(RecordedReadings.Parse(readings, problems));
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("readings line 3:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("line 7", StringComparison.Ordinal) && p.Contains("offset", StringComparison.Ordinal));
        Assert.Equal(30_000_000L, series.Total.Microjoules);
    }

    [Fact]
    public void Jobs_with_bad_fields_are_reported_and_skipped()
    {
        const string jobs = """
            job_id,user,node,start,end,gpus,cpu_share
            1,a,n,0,10,gpu0,0.5
            2,b,n,10,5,,
            3,c,n,0,10,,1.5
            4,d,n,0,,gpu1;gpu2,
            """;
        var problems = new List<string>();
        var parsed = RecordedJobs.Parse(jobs, problems);
        Assert.Equal(["1", "4"], parsed.Select(j => j.JobId));
        Assert.Equal(2, problems.Count);
        Assert.Equal(["gpu1", "gpu2"], parsed[1].Gpus);
        Assert.True(double.IsPositiveInfinity(parsed[1].End));
        Assert.True(double.IsNaN(parsed[1].CpuShare));
    }

    [Fact]
    public void Missing_header_columns_are_a_format_error()
    {
        Assert.Throws<FormatException>(() => RecordedReadings.Parse("when,where\n1,2\n", []));
    }
}
