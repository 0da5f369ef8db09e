using Coca.Core.Simulation;
using Coca.Slurm.Accounting;

namespace Coca.Slurm.Tests.Accounting;

/// <summary><c>coca simulate</c>'s dump is what the importer reads: every line a job, none skipped, the same columns sync asks for.</summary>
public sealed class SimulatedSacctTests
{
    [Fact]
    public void The_simulated_dump_parses_without_a_problem_and_keeps_each_jobs_figures()
    {
        var sim = ClusterSimulation.Run(new SimulationOptions { Nodes = 4, Users = 20, Days = 7, Seed = 3 });
        var text = new StringWriter();
        SacctDump.Write(sim, text);
        var parsed = SacctParser.Parse(new StringReader(text.ToString()), "|", TimeZoneInfo.Utc);
        Assert.Empty(parsed.Problems);
        Assert.Equal(sim.Jobs.Count, parsed.Jobs.Count);
        foreach (var (job, read) in sim.Jobs.Zip(parsed.Jobs))
        {
            Assert.Equal(job.JobId, read.JobId);
            Assert.Equal(job.ArrayJobId, read.ArrayJobId);
            Assert.Equal(job.Gpus, read.Gpus);
            Assert.Equal(job.State, read.State);
            Assert.Equal(job.ElapsedS, read.ElapsedS);
            Assert.Equal(job.Submit, read.Submit);
            if (job.Gpus > 0) Assert.Equal(job.UtilPercent / 100.0, read.GpuUtilisation!.Value, 9);
            Assert.Equal(Math.Round(PowerModel.Of(job).TotalJ), read.SlurmEnergyJ);
        }
    }

    [Fact]
    public void The_dump_has_the_columns_sync_asks_sacct_for() => Assert.Equal(SacctClient.Format, SacctDump.Columns);
}
