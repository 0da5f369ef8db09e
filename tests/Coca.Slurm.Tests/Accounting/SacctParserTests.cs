using Coca.Slurm.Accounting;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Accounting;

public class SacctParserTests
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw";

    private static SacctParser.Result Parse(string text, string zone = "UTC") =>
        SacctParser.Parse(new StringReader(text), "|", TimeZoneInfo.FindSystemTimeZoneById(zone));

    [Fact]
    public void Steps_fold_into_their_job_and_energy_comes_from_the_steps_when_the_job_line_has_none()
    {
        var r = Parse(Header + """

            42|42|train|alice|proj|gpu|n1|billing=8,cpu=8,gres/gpu=2,mem=64G,node=1|2026-01-01T10:00:00|2026-01-01T10:01:00|2026-01-01T12:01:00|02:00:00|COMPLETED|0:0|
            42.batch|42.batch|batch|||gpu|n1|cpu=8,gres/gpu=2|2026-01-01T10:01:00|2026-01-01T10:01:00|2026-01-01T12:01:00|02:00:00|COMPLETED|0:0|1500
            42.extern|42.extern|extern|||gpu|n1|cpu=8|2026-01-01T10:01:00|2026-01-01T10:01:00|2026-01-01T12:01:00|02:00:00|COMPLETED|0:0|500
            """);
        var job = Assert.Single(r.Jobs);
        Assert.Empty(r.Problems);
        Assert.Equal(("42", "42", 2, "COMPLETED", 7200L), (job.JobIdRaw, job.JobId, job.Gpus!.Value, job.State!, job.ElapsedS!.Value));
        Assert.Equal(2000.0, job.SlurmEnergyJ);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 1, 0, TimeSpan.Zero), job.Start);
    }

    [Fact]
    public void Array_tasks_stay_separate_jobs_with_array_ids()
    {
        var r = Parse(Header + """

            100_1|101|sweep|bob|p|gpu|n2|gres/gpu=1|2026-01-01T00:00:00|2026-01-01T00:00:05|2026-01-01T00:10:05|00:10:00|FAILED|3:0|
            100_1.batch|101.batch|batch|||gpu|n2||2026-01-01T00:00:05|2026-01-01T00:00:05|2026-01-01T00:10:05|00:10:00|FAILED|3:0|
            100_2|102|sweep|bob|p|gpu|n3|gres/gpu=1|2026-01-01T00:00:00|2026-01-01T00:00:06|2026-01-01T00:11:06|00:11:00|COMPLETED|0:0|
            100_[3-5]|100|sweep|bob|p|gpu|None assigned||2026-01-01T00:00:00|Unknown|Unknown|00:00:00|PENDING|0:0|
            """);
        Assert.Equal(["101", "102", "100"], r.Jobs.Select(j => j.JobIdRaw));
        var first = r.Jobs[0];
        Assert.Equal(("100_1", "100", 1, "FAILED", "3:0"), (first.JobId, first.ArrayJobId!, first.ArrayTaskId!.Value, first.State!, first.ExitCode!));
        var pending = r.Jobs[2];
        Assert.Null(pending.ArrayTaskId);
        Assert.Null(pending.Start);
        Assert.Null(pending.Nodes);
    }

    [Fact]
    public void Heterogeneous_components_fold_into_the_job()
    {
        var r = Parse(Header + """

            7+0|7|het|carol|p|gpu|n1|gres/gpu=1|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:01:01|00:01:00|COMPLETED|0:0|
            7+1|8|het|carol|p|gpu|n2|gres/gpu=2|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:01:01|00:01:00|COMPLETED|0:0|
            7+0.batch|7.batch|batch|||gpu|n1||2026-01-01T00:00:01|2026-01-01T00:00:01|2026-01-01T00:01:01|00:01:00|COMPLETED|0:0|
            """);
        var job = Assert.Single(r.Jobs);
        Assert.Equal(("7", 3), (job.JobIdRaw, job.Gpus!.Value));
    }

    [Theory]
    [InlineData("CANCELLED by 10304007", "CANCELLED")]
    [InlineData("TIMEOUT", "TIMEOUT")]
    [InlineData("NODE_FAIL", "NODE_FAIL")]
    public void States_are_normalised(string sacct, string expected)
    {
        var r = Parse(Header + $"\n1|1|j|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|{sacct}|0:0|\n");
        Assert.Equal(expected, Assert.Single(r.Jobs).State);
    }

    [Fact]
    public void Times_convert_from_the_given_zone_to_utc()
    {
        var r = Parse(Header + "\n1|1|j|u|a|p|n|cpu=1|2026-07-01T12:00:00|2026-07-01T12:00:00|2026-07-01T13:00:00|1-01:00:00|COMPLETED|0:0|\n", "Europe/Paris");
        var job = Assert.Single(r.Jobs);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero), job.Submit);
        Assert.Equal(90_000L, job.ElapsedS);
    }

    [Fact]
    public void Malformed_lines_are_reported_by_number_and_good_records_kept()
    {
        var r = Parse(Header + """

            1|1|ok|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|
            2|2|short|u|a
            abc|abc|bad|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|
            3|3|bad time|u|a|p|n|cpu=1|yesterday|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|
            4|4|bad elapsed|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|soon|COMPLETED|0:0|
            5|5|ok|u|a|p|n|gres/gpu:a100=2,gres/gpu:v100=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|12.5
            """);
        Assert.Equal(["1", "5"], r.Jobs.Select(j => j.JobIdRaw));
        Assert.Equal(3, r.Jobs[1].Gpus);
        Assert.Equal(12.5, r.Jobs[1].SlurmEnergyJ);
        Assert.Equal(4, r.Problems.Count);
        Assert.StartsWith("line 3:", r.Problems[0]);
        Assert.StartsWith("line 4:", r.Problems[1]);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e309")]
    [InlineData("-5")]
    [InlineData("∞")]
    public void A_non_finite_or_negative_energy_skips_its_line_and_keeps_every_good_job(string energy)
    {
        var r = Parse(Header + $"""

            1|1|ok|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|10
            2|2|bad|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|{energy}
            3|3|ok|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|30
            """);
        Assert.Equal(["1", "3"], r.Jobs.Select(j => j.JobIdRaw));
        Assert.StartsWith("line 3: ConsumedEnergyRaw", Assert.Single(r.Problems));
        Assert.All(r.Jobs, j => Assert.True(double.IsFinite(j.SlurmEnergyJ!.Value)));
    }

    [Fact]
    public void Slurms_no_value_energy_is_unknown_not_eighteen_exajoules()
    {
        var r = Parse(Header + "\n1|1|j|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|18446744073709551614\n");
        Assert.Null(Assert.Single(r.Jobs).SlurmEnergyJ);
        Assert.Empty(r.Problems);
    }

    [Fact]
    public void A_cpu_only_job_has_zero_gpus_and_gpuutil_is_its_gpu_utilisation_where_slurm_has_one()
    {
        const string header = Header + "|TRESUsageInTot";
        var r = Parse(header + """

            1|1|cpu|u|a|p|n|billing=4,cpu=4,mem=8G,node=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0||cpu=00:00:04
            2|2|gpu|u|a|p|n|cpu=4,gres/gpu=2|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0||
            2.batch|2.batch|batch|||p|n|cpu=4,gres/gpu=2|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0||cpu=00:00:04,gres/gpumem=100M,gres/gpuutil=120
            3|3|pending|u|a|p|None assigned||2026-01-01T00:00:00|Unknown|Unknown|00:00:00|PENDING|0:0||
            """);
        Assert.Empty(r.Problems);
        Assert.Equal((0, (double?)null), (r.Jobs[0].Gpus!.Value, r.Jobs[0].GpuUtilisation));
        Assert.Equal((2, 0.6), (r.Jobs[1].Gpus!.Value, r.Jobs[1].GpuUtilisation!.Value));
        Assert.Null(r.Jobs[2].Gpus); // no AllocTRES yet: unknown
    }

    [Theory]
    [InlineData("1\u0000|1")]
    [InlineData("../x|../x")]
    [InlineData("99999999999|99999999999")]
    public void A_line_with_a_bad_id_or_a_control_character_is_skipped(string ids)
    {
        var bad = ids.Replace("\\u0000", "\0", StringComparison.Ordinal);
        var r = Parse(Header + $"\n{bad}|j|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|\n" +
            "2|2|ok|u|a|p|n|cpu=1|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|COMPLETED|0:0|\n");
        Assert.Equal("2", Assert.Single(r.Jobs).JobIdRaw);
        Assert.Single(r.Problems);
    }

    [Fact]
    public void Input_without_header_is_refused()
    {
        Assert.Throws<FormatException>(() => Parse("1|1|j|u\n"));
    }

    [SharedDataFact("slurm/hb-jobinfo-sacct.txt")]
    public void Real_sacct_dump_of_a_gpu_cluster_imports()
    {
        // The dump has no header; its columns are listed in hb-jobinfo-README.md, its delimiter is ☃.
        const string columns = "JobID,JobName,User,Partition,NodeList,NNodes,NCPUs,NTasks,State,Submit,Start,End,Timelimit,Elapsed,TotalCPU,CPUTime,UserCPU,SystemCPU,ReqMem,MaxRSS,MaxVMSize,ReqTRES,AllocTRES,TRESUsageInMax,TRESUsageInTot,TRESUsageOutTot,MaxDiskRead,MaxDiskWrite,MaxRSSNode,MaxRSSTask,MaxVMSizeNode,MaxVMSizeTask,MaxDiskReadNode,MaxDiskReadTask,MaxDiskWriteNode,MaxDiskWriteTask,Comment";
        var text = string.Join('☃', columns.Split(',')) + "\n" + File.ReadAllText(SharedData.PathOf("slurm/hb-jobinfo-sacct.txt")!);
        var r = SacctParser.Parse(new StringReader(text), "☃", TimeZoneInfo.Utc);

        Assert.Empty(r.Problems);
        Assert.Equal(242, r.Lines);
        Assert.Equal(100, r.Jobs.Count);
        Assert.DoesNotContain(r.Jobs, j => j.JobIdRaw.Contains('.', StringComparison.Ordinal));
        var states = r.Jobs.Select(j => j.State).Distinct().ToHashSet();
        Assert.Contains("CANCELLED", states);
        Assert.Contains("COMPLETED", states);
        Assert.Contains("FAILED", states);
        Assert.Contains("TIMEOUT", states);
        Assert.DoesNotContain(states, s => s!.StartsWith("CANCELLED by", StringComparison.Ordinal));
        var array = r.Jobs.First(j => j.JobId == "5908801_3");
        Assert.Equal(("5908801", 3), (array.ArrayJobId!, array.ArrayTaskId!.Value));
        Assert.Contains(r.Jobs, j => j.Gpus > 0);
        Assert.Contains(r.Jobs, j => j.Start is null && j.State == "CANCELLED");
        Assert.Contains(r.Jobs, j => j.TresUsageInTot?.Contains("gres/gpuutil", StringComparison.Ordinal) == true);
    }
}
