using Coca.Core.Carbon;

namespace Coca.Core.Tests.Carbon;

public class EmbodiedEmissionsTests
{
    private static readonly EmbodiedFactors Factors = new(GpuKg: 150, ServerKg: 2500, LifetimeYears: 6, NodeGpus: 8, NodeCores: 64);

    [Fact]
    public void A_gpu_job_is_charged_its_gpu_hours_and_its_share_of_the_server()
    {
        // 4 of 8 GPUs for 10 h over a 6-year life (52,596 h): 150 kg × 40 GPU-h + 2500 kg × 10 node-h × 4/8, over 52,596 h.
        var figure = EmbodiedEmissions.ForJob(gpus: 4, elapsedS: 36_000, allocCpus: 32, Factors);
        Assert.Equal((150.0 * 40 + 2500.0 * 10 * 0.5) / 52_596 * 1000, figure.Grams!.Value, 9);
        Assert.Equal(351.738, figure.Grams!.Value, 3);
    }

    [Fact]
    public void A_cpu_only_job_is_charged_by_its_cores()
    {
        var figure = EmbodiedEmissions.ForJob(gpus: 0, elapsedS: 36_000, allocCpus: 16, Factors);
        Assert.Equal(2500.0 * 10 * 16 / 64 / 52_596 * 1000, figure.Grams!.Value, 9);
    }

    [Fact]
    public void Unknown_inputs_give_no_figure_and_say_why()
    {
        Assert.Null(EmbodiedEmissions.ForJob(null, 3600, 4, Factors).Grams);
        Assert.Contains("elapsed", EmbodiedEmissions.ForJob(1, null, 4, Factors).Reason);
        Assert.Contains("node_cores", EmbodiedEmissions.ForJob(0, 3600, 4, Factors with { NodeCores = null }).Reason);
        Assert.Contains("allocated CPUs", EmbodiedEmissions.ForJob(0, 3600, null, Factors).Reason);
    }

    [Fact]
    public void Gpu_hours_alone_give_the_same_figure_as_the_gpu_jobs()
    {
        var perJob = EmbodiedEmissions.ForJob(4, 36_000, null, Factors).Grams!.Value + EmbodiedEmissions.ForJob(2, 7_200, null, Factors).Grams!.Value;
        Assert.Equal(perJob, EmbodiedEmissions.ForGpuHours(44, Factors)!.Value, 9);
    }
}
