using Coca.Core.Analysis;
using static Coca.Core.Tests.Analysis.Jobs;

namespace Coca.Core.Tests.Analysis;

public sealed class StudyFindingsTests
{
    [Fact]
    public void The_share_not_completed_is_of_the_energy_of_jobs_that_ended_by_state()
    {
        var study = new StudyFindings();
        study.Add(Job("1", "COMPLETED", energyKwh: 6));
        study.Add(Job("2", "FAILED", energyKwh: 3));
        study.Add(Job("3", "TIMEOUT", energyKwh: 1));
        study.Add(Job("4", "RUNNING", energyKwh: 100)); // not ended: on neither side
        study.Add(Job("5", "FAILED", energyKwh: null));  // unknown energy: counted as a job, not as energy
        var r = study.Finish();
        Assert.Equal((5L, 4L, 0.4), (r.Jobs, r.KnownEnergyJobs, r.NotCompleted.Share!.Value));
        Assert.Equal(["COMPLETED", "FAILED", "TIMEOUT"], r.NotCompleted.ByState.Select(s => s.State));
        Assert.Equal((2L, 3L), (r.NotCompleted.NotCompletedJobs, r.NotCompleted.EndedJobs));
    }

    [Fact]
    public void GPU_utilisation_deciles_are_weighted_by_GPU_energy()
    {
        var study = new StudyFindings();
        // 80 % of the GPU energy at 10 % utilisation, 20 % at 90 %.
        study.Add(Job("1", util: 0.1, energyKwh: 10, gpuKwh: 8));
        study.Add(Job("2", util: 0.9, energyKwh: 3, gpuKwh: 2));
        study.Add(Job("3", util: null, energyKwh: 3, gpuKwh: 2)); // no utilisation: not in the spread
        var u = study.Finish().GpuUtilisation;
        Assert.Equal((2L, 10.0, 0.8), (u.GpuJobs, u.GpuEnergyKwh!.Value, u.ShareBelow25Pct!.Value));
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9], u.Deciles.Select(d => d!.Value));
        Assert.Null(new StudyFindings().Finish().GpuUtilisation.ShareBelow25Pct);
    }
}
