using Coca.Slurm.Accounting;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Accounting;

/// <summary>The columns seff and the behaviours need: TotalCPU, AllocCPUS, ReqMem, MaxRSS, Timelimit, SubmitLine, WorkDir, steps.</summary>
public class SacctSeffFieldsTests
{
    private const string Header = "JobID|JobIDRaw|JobName|User|State|Elapsed|TotalCPU|AllocCPUS|NNodes|ReqMem|MaxRSS|Timelimit|ReqTRES|TRESUsageInAve|WorkDir|SubmitLine";

    private static SacctParser.Result Parse(string lines) =>
        SacctParser.Parse(new StringReader(Header + "\n" + lines), "|", TimeZoneInfo.Utc);

    [Fact]
    public void Seff_figures_come_from_the_job_line_and_its_steps()
    {
        var r = Parse("""
            42|42|train|alice|COMPLETED|02:00:00|1-02:03:04.500|8|1|16G||1-00:00:00|cpu=8,mem=16G|cpu=00:10:00|/home/alice/p|sbatch --lr=0.1 train.sh
            42.batch|42.batch|batch||COMPLETED|02:00:00|1-02:03:04|8|1||1294440K|||cpu=00:10:00,gres/gpuutil=90|||
            42.extern|42.extern|extern||COMPLETED|02:00:00|00:00.001|8|1||80K|||||
            """);
        Assert.Empty(r.Problems);
        var j = Assert.Single(r.Jobs);
        Assert.Equal(93_784.5, j.TotalCpuS!.Value, 3);
        Assert.Equal(8, j.AllocCpus);
        Assert.Equal(16L << 30, j.ReqMemBytes);
        Assert.Equal(1_294_440L * 1024, j.MaxRssBytes);
        Assert.Equal(86_400L, j.TimelimitS);
        Assert.Equal("cpu=8,mem=16G", j.ReqTres);
        Assert.Equal("cpu=00:10:00", j.TresUsageInAve);
        Assert.Equal(("/home/alice/p", "sbatch --lr=0.1 train.sh"), (j.WorkDir!, j.SubmitLine!));
        Assert.False(j.Interactive);
        Assert.NotEqual(0, j.Fingerprint);
    }

    [Fact]
    public void Total_cpu_is_the_sum_of_the_steps_when_the_job_line_has_none_and_maxrss_the_largest_step()
    {
        var r = Parse("""
            7|7|mpi|bob|COMPLETED|01:00:00||128|2|32G||UNLIMITED||||
            7.batch|7.batch|batch||COMPLETED|01:00:00|00:03.397|64|1||39156K|||||
            7.0|7.0|a.out||COMPLETED|01:00:00|163-00:18:38|128|2||53592K|||||
            """);
        var j = Assert.Single(r.Jobs);
        Assert.Equal(3.397 + 163 * 86_400 + 18 * 60 + 38, j.TotalCpuS!.Value, 3);
        Assert.Equal(53_592L * 1024, j.MaxRssBytes);
        Assert.Null(j.TimelimitS);
        Assert.Equal(32L << 30, j.ReqMemBytes); // since Slurm 21.08 ReqMem is the whole job's
    }

    [Theory]
    [InlineData("4000Mn", 2, 8, 2 * 4000L << 20)]
    [InlineData("4000Mc", 2, 8, 8 * 4000L << 20)]
    [InlineData("2Gn", 3, 8, 3L << 31)]
    [InlineData("512Kc", 1, 4, 4 * 512L << 10)]
    [InlineData("1T", 4, 8, 1L << 40)]
    [InlineData("1.5G", 1, 1, 3L << 29)]
    [InlineData("4000", 1, 1, 4000L << 20)]
    public void ReqMem_is_for_the_whole_job_in_every_form(string reqMem, int nodes, int cpus, long bytes)
    {
        var r = Parse($"1|1|j|u|COMPLETED|00:01:00|00:30|{cpus}|{nodes}|{reqMem}||01:00:00||||\n");
        Assert.Empty(r.Problems);
        Assert.Equal(bytes, Assert.Single(r.Jobs).ReqMemBytes);
    }

    [Fact]
    public void ReqMem_per_cpu_without_a_cpu_count_is_unknown_and_reqtres_mem_stands_in_for_a_missing_reqmem()
    {
        var r = Parse("""
            1|1|j|u|PENDING|00:00:00|||1|4000Mc||01:00:00||||
            2|2|j|u|PENDING|00:00:00|||1|||01:00:00|cpu=4,mem=8000M,node=1|||
            """);
        Assert.Null(r.Jobs[0].ReqMemBytes);
        Assert.Equal(8000L << 20, r.Jobs[1].ReqMemBytes);
    }

    [Theory]
    [InlineData("1-00:00:00", 86_400L)]
    [InlineData("30:00", 1_800L)]
    [InlineData("UNLIMITED", null)]
    [InlineData("Partition_Limit", null)]
    [InlineData("", null)]
    public void Timelimit_reads_or_is_unknown(string text, long? seconds)
    {
        var r = Parse($"1|1|j|u|COMPLETED|00:01:00|00:30|1|1|1G||{text}||||\n");
        Assert.Empty(r.Problems);
        Assert.Equal(seconds, Assert.Single(r.Jobs).TimelimitS);
    }

    [Theory]
    [InlineData("00:00:00", 0.0)]
    [InlineData("00:02.617", 2.617)]
    [InlineData("15:33:59", 56_039.0)]
    [InlineData("762-08:12:51", 762 * 86_400.0 + 8 * 3600 + 12 * 60 + 51)]
    public void TotalCpu_reads_every_form_sacct_prints(string text, double seconds)
    {
        Assert.True(SacctValues.TryCpuTime(text, out var s, out _));
        Assert.Equal(seconds, s!.Value, 6);
    }

    [Theory]
    [InlineData("TotalCPU", "soon")]
    [InlineData("TotalCPU", "00:61")]
    [InlineData("TotalCPU", "1:2:3:4")]
    [InlineData("TotalCPU", "99999999999-00:00:00")]
    [InlineData("AllocCPUS", "-1")]
    [InlineData("AllocCPUS", "NaN")]
    [InlineData("AllocCPUS", "99999999999")]
    [InlineData("ReqMem", "lots")]
    [InlineData("ReqMem", "NaNG")]
    [InlineData("ReqMem", "-4G")]
    [InlineData("ReqMem", "9999999999999P")]
    [InlineData("MaxRSS", "12Q")]
    [InlineData("MaxRSS", "Infinity")]
    [InlineData("MaxRSS", "1e400K")]
    [InlineData("Timelimit", "forever")]
    public void A_malformed_value_skips_its_line_with_its_number_and_keeps_the_good_jobs(string column, string value)
    {
        var fields = new Dictionary<string, string> { ["TotalCPU"] = "00:30", ["AllocCPUS"] = "2", ["ReqMem"] = "1G", ["MaxRSS"] = "", ["Timelimit"] = "01:00:00" };
        fields[column] = value;
        var bad = $"2|2|bad|u|COMPLETED|00:01:00|{fields["TotalCPU"]}|{fields["AllocCPUS"]}|1|{fields["ReqMem"]}|{fields["MaxRSS"]}|{fields["Timelimit"]}||||";
        var r = Parse($"1|1|ok|u|COMPLETED|00:01:00|00:30|1|1|1G||01:00:00||||\n{bad}\n3|3|ok|u|COMPLETED|00:01:00|00:30|1|1|1G||01:00:00||||\n");
        Assert.Equal(["1", "3"], r.Jobs.Select(j => j.JobIdRaw));
        var problem = Assert.Single(r.Problems);
        Assert.StartsWith($"line 3: {column}", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void NCPUS_stands_in_for_AllocCPUS()
    {
        var r = SacctParser.Parse(new StringReader("JobID|JobName|NCPUS|State\n5|j|12|COMPLETED\n"), "|", TimeZoneInfo.Utc);
        Assert.Equal(12, Assert.Single(r.Jobs).AllocCpus);
    }

    [Fact]
    public void Batch_steps_make_a_batch_job_other_steps_an_interactive_one_and_no_steps_say_nothing()
    {
        var r = Parse("""
            1|1|b|u|COMPLETED|00:01:00||1|1|||||||
            1.batch|1.batch|batch||COMPLETED|00:01:00||1|1|||||||
            1.0|1.0|python||COMPLETED|00:01:00||1|1|||||||
            2|2|jupyter|u|COMPLETED|00:01:00||1|1|||||||
            2.interactive|2.interactive|interactive||COMPLETED|00:01:00||1|1|||||||
            2.extern|2.extern|extern||COMPLETED|00:01:00||1|1|||||||
            3|3|salloc|u|COMPLETED|00:01:00||1|1|||||||
            3.extern|3.extern|extern||COMPLETED|00:01:00||1|1|||||||
            3.0|3.0|python||COMPLETED|00:01:00||1|1|||||||
            4|4|pending|u|PENDING|00:00:00||1|1|||||||
            """);
        Assert.Empty(r.Problems);
        Assert.Equal([false, true, true, null], r.Jobs.Select(j => j.Interactive));
    }

    [Fact]
    public void A_delimiter_inside_the_submit_line_stays_in_the_submit_line()
    {
        var r = Parse("1|1|wrap|u|COMPLETED|00:01:00|00:30|1|1|1G||01:00:00|||/w|sbatch --wrap \"cat a | sort\"\n");
        Assert.Empty(r.Problems);
        Assert.Equal("sbatch --wrap \"cat a | sort\"", Assert.Single(r.Jobs).SubmitLine);
    }

    [SharedDataFact("slurm/hb-jobinfo-sacct.txt")]
    public void The_real_dump_gives_seff_figures_consistent_with_its_own_lines()
    {
        const string columns = "JobID,JobName,User,Partition,NodeList,NNodes,NCPUs,NTasks,State,Submit,Start,End,Timelimit,Elapsed,TotalCPU,CPUTime,UserCPU,SystemCPU,ReqMem,MaxRSS,MaxVMSize,ReqTRES,AllocTRES,TRESUsageInMax,TRESUsageInTot,TRESUsageOutTot,MaxDiskRead,MaxDiskWrite,MaxRSSNode,MaxRSSTask,MaxVMSizeNode,MaxVMSizeTask,MaxDiskReadNode,MaxDiskReadTask,MaxDiskWriteNode,MaxDiskWriteTask,Comment";
        var text = string.Join('☃', columns.Split(',')) + "\n" + File.ReadAllText(SharedData.PathOf("slurm/hb-jobinfo-sacct.txt")!);
        var r = SacctParser.Parse(new StringReader(text), "☃", TimeZoneInfo.Utc);
        Assert.Empty(r.Problems);
        Assert.Equal(100, r.Jobs.Count);

        // Lines read by hand from the dump.
        var gpu = r.Jobs.Single(j => j.JobIdRaw == "7965768");
        Assert.Equal(15 * 3600 + 33 * 60 + 59, gpu.TotalCpuS!.Value, 3);
        Assert.Equal((8, 10L << 30, 1_294_440L * 1024, 86_400L * 2 - 60), (gpu.AllocCpus!.Value, gpu.ReqMemBytes!.Value, gpu.MaxRssBytes!.Value, gpu.TimelimitS!.Value));
        Assert.False(gpu.Interactive);
        var mpi = r.Jobs.Single(j => j.JobIdRaw == "6708912");
        Assert.Equal((256, 200L << 30, 79_116L * 1024), (mpi.AllocCpus!.Value, mpi.ReqMemBytes!.Value, mpi.MaxRssBytes!.Value));
        Assert.Equal(762 * 86_400 + 8 * 3600 + 12 * 60 + 51, mpi.TotalCpuS!.Value, 3);

        // Every job has a time limit and requested memory; the ones that ran have steps and are batch jobs here.
        Assert.All(r.Jobs, j => Assert.True(j.TimelimitS > 0 && j.ReqMemBytes > 0, j.JobId));
        Assert.Equal(64, r.Jobs.Count(j => j.Interactive == false));
        Assert.Equal(36, r.Jobs.Count(j => j.Interactive is null));
        Assert.Equal(61, r.Jobs.Count(j => j.MaxRssBytes is not null)); // three running jobs have steps but no MaxRSS yet
        // CPU efficiency can exceed 1 only by rounding: TotalCPU never exceeds Elapsed × AllocCPUS by more than a second a CPU.
        Assert.All(r.Jobs.Where(j => j.ElapsedS > 0 && j.AllocCpus > 0),
            j => Assert.True(j.TotalCpuS <= (j.ElapsedS + 1) * j.AllocCpus, $"{j.JobId}: {j.TotalCpuS} > {j.ElapsedS} × {j.AllocCpus}"));
    }
}
