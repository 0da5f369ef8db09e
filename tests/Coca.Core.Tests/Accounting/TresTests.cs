using Coca.Core.Accounting;

namespace Coca.Core.Tests.Accounting;

public class TresTests
{
    [Theory]
    [InlineData("billing=8,cpu=8,mem=64G,node=1", 0)]
    [InlineData("cpu=8,gres/gpu=2,mem=64G", 2)]
    [InlineData("gres/gpu:a100=2,gres/gpu:v100=1", 3)]
    public void A_cpu_only_job_has_zero_gpus_and_a_gpu_job_its_count(string allocTres, int gpus) => Assert.Equal(gpus, Tres.GpuCount(allocTres));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_alloc_tres_the_gpu_count_is_unknown(string? allocTres) => Assert.Null(Tres.GpuCount(allocTres));

    [Theory]
    [InlineData("cpu=00:10:00,gres/gpumem=2000M,gres/gpuutil=150,mem=1G", 2, 0.75)]
    [InlineData("gres/gpuutil=85", 1, 0.85)]
    [InlineData("gres/gpuutil=500", 2, 1.0)]
    public void Gpu_utilisation_comes_from_gres_gpuutil_averaged_over_the_gpus(string usage, int gpus, double expected) =>
        Assert.Equal(expected, Tres.GpuUtilisation(usage, gpus)!.Value, 9);

    [Theory]
    [InlineData(null)]
    [InlineData("cpu=00:10:00,mem=1G")]
    [InlineData("gres/gpuutil=NaN")]
    [InlineData("gres/gpuutil=-5")]
    [InlineData("gres/gpuutil=1e999")]
    public void Without_a_finite_gpuutil_the_utilisation_is_unknown(string? usage) => Assert.Null(Tres.GpuUtilisation(usage, 1));
}
