using Coca.Slurm.Jobs;

namespace Coca.Agent.Engine;

/// <summary>A job the agent charges this tick: its span, the GPU devices it holds, its share of the CPU packages and DRAM.</summary>
internal sealed record ActiveJob(JobRecord Record, IReadOnlyList<string> GpuDeviceIds, double CpuShare, string CpuShareBasis)
{
    public string Id => Record.JobId;
    public double From => Record.StartedAt.ToUnixTimeMilliseconds() / 1000.0;
    public double To => Record.EndedAt is { } end ? end.ToUnixTimeMilliseconds() / 1000.0 : double.PositiveInfinity;
}
