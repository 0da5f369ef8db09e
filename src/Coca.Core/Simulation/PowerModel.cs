namespace Coca.Core.Simulation;

/// <summary>A simulated job's energy by component, joules (µJ on the agents' wire), and the parts the behaviours read.</summary>
public readonly record struct SimEnergy(double CpuJ, double DramJ, double GpuJ, double UnusedGpuJ, double AfterLastGpuActivityJ)
{
    public double TotalJ => CpuJ + DramJ + GpuJ;
}

/// <summary>
/// The simulator's power model, stated (docs/simulate.md): an A100-SXM4-class GPU draws <see cref="GpuIdleW"/> idle and
/// <see cref="GpuMaxW"/> at full use, linearly in between; an allocated CPU core <see cref="CoreIdleW"/> plus
/// <see cref="CoreBusyW"/> when busy; DRAM <see cref="DramPerCoreW"/> per allocated core; a node's base draw
/// (fans, network, supplies' losses, unallocated parts) <see cref="NodeBaseW"/>.
/// </summary>
public static class PowerModel
{
    public const double GpuIdleW = 60, GpuMaxW = 400, CoreIdleW = 0.5, CoreBusyW = 3.0, DramPerCoreW = 0.35, NodeBaseW = 450;

    /// <summary>The GPU type the model stands for, as Slurm's typed TRES names it.</summary>
    public const string GpuType = "a100";

    public static double GpuPowerW(double util) => GpuIdleW + (GpuMaxW - GpuIdleW) * util;

    /// <summary>The job's draw while it runs (its GPUs, cores and DRAM), watts.</summary>
    public static double JobPowerW(SimJob job) => JobGpuW(job) + job.Cpus * (CoreIdleW + CoreBusyW * job.CpuBusy + DramPerCoreW);

    private static double JobGpuW(SimJob job)
    {
        if (job.Gpus == 0) return 0;
        var used = job.Gpus - job.UnusedGpus;
        // The unused GPUs sit idle; the others carry the job's mean utilisation between them.
        var usedUtil = used == 0 ? 0 : Math.Min(1, job.UtilPercent / 100.0 * job.Gpus / used);
        return used * GpuPowerW(usedUtil) + job.UnusedGpus * GpuIdleW;
    }

    public static SimEnergy Of(SimJob job)
    {
        var s = (double)job.ElapsedS;
        var gpu = JobGpuW(job) * s;
        var cpu = job.Cpus * (CoreIdleW + CoreBusyW * job.CpuBusy) * s;
        var dram = job.Cpus * DramPerCoreW * s;
        var total = cpu + dram + gpu;
        return new SimEnergy(cpu, dram, gpu, job.UnusedGpus * GpuIdleW * s, job.TailShare * total);
    }
}
