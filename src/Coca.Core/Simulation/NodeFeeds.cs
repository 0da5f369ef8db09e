using Coca.Core.Numerics;
using System.Globalization;

namespace Coca.Core.Simulation;

/// <summary>
/// What a node's own meters would have recorded, minute by minute, from the power model: a wattmeter's feed (the
/// wattmeter source's CSV, <c>time,node,power_w,energy_j</c>) and one node's device readings with its jobs, the files
/// <c>coca attribute --readings … --jobs …</c> reads. Times are Unix seconds; each job draws its power over the
/// whole minutes it ran. A wattmeter reads ±0.5 % (drawn), the devices' counters exactly.
/// </summary>
public static class NodeFeeds
{
    public const int StepS = 60;

    /// <summary>RAPL's wrap point on a typical server package, joules (<c>max_energy_range_uj</c> = 262143328850).</summary>
    public const double RaplMaxJ = 262_143.328850;
    public const double PackageIdleW = 80, DramIdleW = 10;

    public static void WriteWattmeter(Simulation sim, IReadOnlyList<string> nodes, TextWriter output)
    {
        output.Write("time,node,power_w,energy_j\n");
        var minutes = sim.Options.Days * 1440;
        var rng = new SplitMix64(sim.Options.Seed ^ 0x77a77);
        var perNode = nodes.Select(n => (Node: n, Watts: NodePower(sim, n, minutes))).ToList();
        var energy = new double[perNode.Count];
        var t0 = sim.Options.Start.ToUnixTimeSeconds();
        for (var m = 0; m < minutes; m++)
        {
            for (var i = 0; i < perNode.Count; i++)
            {
                var watts = perNode[i].Watts[m] * (1 + rng.Uniform(-0.005, 0.005));
                output.Write(string.Create(CultureInfo.InvariantCulture, $"{t0 + (long)m * StepS},{perNode[i].Node},{watts:0.0},{energy[i]:0.0}\n"));
                energy[i] += watts * StepS;
            }
        }
    }

    // The node's draw each minute: its base, every GPU idle, and what each running job adds above that.
    private static double[] NodePower(Simulation sim, string node, int minutes)
    {
        var delta = new double[minutes + 1];
        foreach (var j in sim.Jobs.Where(j => j.Node == node)) Span(sim, j, minutes, PowerModel.JobPowerW(j) - j.Gpus * PowerModel.GpuIdleW, delta);
        var watts = new double[minutes];
        var level = PowerModel.NodeBaseW + sim.Options.GpusPerNode * PowerModel.GpuIdleW;
        for (var m = 0; m < minutes; m++) watts[m] = level += delta[m];
        return watts;
    }

    private static void Span(Simulation sim, SimJob j, int minutes, double watts, double[] delta)
    {
        var from = (int)Math.Clamp(Math.Ceiling((j.Start - sim.Options.Start).TotalSeconds / StepS), 0, minutes);
        var to = (int)Math.Clamp(Math.Ceiling((j.End - sim.Options.Start).TotalSeconds / StepS), 0, minutes);
        if (to <= from) return;
        delta[from] += watts;
        delta[to] -= watts;
    }

    /// <summary>One node's device readings over the first <paramref name="hours"/> (cumulative counters, as RAPL and NVML give them).</summary>
    public static void WriteReadings(Simulation sim, string node, int hours, TextWriter output)
    {
        var minutes = Math.Min(hours * 60, sim.Options.Days * 1440);
        var gpus = sim.Options.GpusPerNode;
        var devices = new List<(string Name, double[] Delta, double Idle, double? MaxJ)>();
        for (var g = 0; g < gpus; g++) devices.Add(($"gpu{g}", new double[minutes + 1], PowerModel.GpuIdleW, null));
        var packages = new[] { ("package-0", new double[minutes + 1], PackageIdleW, (double?)RaplMaxJ), ("package-1", new double[minutes + 1], PackageIdleW, RaplMaxJ) };
        var drams = new[] { ("dram-0", new double[minutes + 1], DramIdleW, (double?)RaplMaxJ), ("dram-1", new double[minutes + 1], DramIdleW, RaplMaxJ) };
        foreach (var j in sim.Jobs.Where(j => j.Node == node))
        {
            var used = j.Gpus - j.UnusedGpus;
            var usedUtil = used == 0 ? 0 : Math.Min(1, j.UtilPercent / 100.0 * j.Gpus / used);
            for (var k = 0; k < j.GpuIndices.Count; k++)
            {
                var w = k < used ? PowerModel.GpuPowerW(usedUtil) - PowerModel.GpuIdleW : 0;
                Span(sim, j, minutes, w, devices[j.GpuIndices[k]].Delta);
            }
            var cores = j.Cpus * (PowerModel.CoreIdleW + PowerModel.CoreBusyW * j.CpuBusy) / 2;
            foreach (var p in packages) Span(sim, j, minutes, cores, p.Item2);
            foreach (var d in drams) Span(sim, j, minutes, j.Cpus * PowerModel.DramPerCoreW / 2, d.Item2);
        }
        devices.AddRange(packages);
        devices.AddRange(drams);
        output.Write("time,node,device,energy_j,power_w,max_energy_j\n");
        var t0 = sim.Options.Start.ToUnixTimeSeconds();
        var level = devices.Select(d => d.Idle).ToArray();
        var energy = new double[devices.Count];
        for (var m = 0; m <= minutes; m++)
        {
            for (var i = 0; i < devices.Count; i++)
            {
                var (name, delta, _, max) = devices[i];
                var counter = max is { } wrap ? energy[i] % wrap : energy[i];
                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{t0 + (long)m * StepS},{node},{name},{counter:0.000},{level[i]:0.0},{(max is { } mx ? mx.ToString("0.000000", CultureInfo.InvariantCulture) : "")}\n"));
                if (m == minutes) continue;
                level[i] += delta[m];
                energy[i] += level[i] * StepS;
            }
        }
    }

    /// <summary>The jobs of <see cref="WriteReadings"/>'s window: <c>job_id,user,node,start,end,gpus,cpu_share</c>, end empty when still running.</summary>
    public static void WriteRecordedJobs(Simulation sim, string node, int hours, TextWriter output)
    {
        var t0 = sim.Options.Start.ToUnixTimeSeconds();
        var end = t0 + (long)Math.Min(hours * 3600L, sim.Options.Days * 86_400L);
        var cores = sim.Options.GpusPerNode * JobMix.CpusPerGpu * 2;
        output.Write("job_id,user,node,start,end,gpus,cpu_share\n");
        foreach (var j in sim.Jobs.Where(j => j.Node == node && j.Start.ToUnixTimeSeconds() < end))
        {
            var jobEnd = j.End.ToUnixTimeSeconds();
            var gpus = string.Join(';', j.GpuIndices.Select(g => "gpu" + g.ToString(CultureInfo.InvariantCulture)));
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"{j.JobIdRaw},{j.User},{node},{j.Start.ToUnixTimeSeconds()},{(jobEnd <= end ? jobEnd.ToString(CultureInfo.InvariantCulture) : "")},{gpus},{Math.Min(1, (double)j.Cpus / cores):0.####}\n"));
        }
    }
}
