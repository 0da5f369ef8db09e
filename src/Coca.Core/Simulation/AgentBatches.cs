using Coca.Core.Numerics;
using System.Globalization;
using System.Text.Json;
using Coca.Core.Ingest;

namespace Coca.Core.Simulation;

/// <summary>
/// What the agents would have pushed: per node, its jobs' final figures as ingest batches (<see cref="IngestBatch"/>,
/// the wire format of <c>POST /api/v1/ingest</c>), at most <see cref="JobsPerBatch"/> jobs each, numbered from 1 under
/// one incarnation per node. Components measured (RAPL and NVML counters); no node meter, so <c>other</c> is none.
/// </summary>
public static class AgentBatches
{
    public const int JobsPerBatch = 500;

    public static IEnumerable<(string Node, long Sequence, string Json)> Build(Simulation sim)
    {
        foreach (var node in sim.Nodes)
        {
            var jobs = sim.Jobs.Where(j => j.Node == node).ToList();
            var incarnation = Incarnation(sim.Options.Seed, node);
            for (var i = 0; i * JobsPerBatch < jobs.Count; i++)
            {
                var measurements = jobs.Skip(i * JobsPerBatch).Take(JobsPerBatch).Select(j => Measurement(j, node)).ToList();
                var batch = new IngestBatch(node, i + 1, measurements, [], incarnation);
                yield return (node, i + 1, JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch));
            }
        }
    }

    public static JobMeasurement Measurement(SimJob j, string node)
    {
        var e = PowerModel.Of(j);
        var gpuSeconds = (double)j.Gpus * j.ElapsedS;
        var busy = j.UtilPercent / 100.0 * gpuSeconds;
        var used = j.Gpus > 0 && j.UtilPercent > 0;
        return new JobMeasurement
        {
            JobIdRaw = j.JobIdRaw,
            Node = node,
            User = j.User,
            Start = j.Start,
            End = j.End,
            EnergyOnWire = [Uj(e.CpuJ), Uj(e.DramJ), Uj(e.GpuJ), 0],
            ProvenanceOnWire = ["measured", "measured", j.Gpus > 0 ? "measured" : "none", "none"],
            Coverage = 1,
            GpuSeconds = gpuSeconds,
            GpuBusySeconds = busy,
            IdleGpuSeconds = gpuSeconds - busy,
            // The last activity is where the tail begins: the tail's share of the run, taken from its end.
            LastGpuActivity = used ? j.End.AddSeconds(-Math.Round(j.TailShare * j.ElapsedS)) : null,
            EnergyAfterLastGpuActivityUj = used ? Uj(e.AfterLastGpuActivityJ) : 0,
            UnusedGpus = j.Gpus > 0 ? j.UnusedGpus : null,
            UnusedGpuUj = j.Gpus > 0 ? Uj(e.UnusedGpuJ) : null,
            Framework = j.Gpus > 0 ? "pytorch" : null,
            Interactive = j.Partition == "interactive",
            Final = true,
            AsOf = j.End.AddSeconds(ClusterScheduler.TurnaroundS),
        };
    }

    private static long Uj(double joules) => (long)Math.Round(joules * 1e6);

    // 32 lowercase hex digits, the same for the same seed and node.
    private static string Incarnation(ulong seed, string node)
    {
        var rng = new SplitMix64(seed ^ (ulong)node.Aggregate(17L, (h, c) => h * 31 + c));
        return rng.NextUInt64().ToString("x16", CultureInfo.InvariantCulture) + rng.NextUInt64().ToString("x16", CultureInfo.InvariantCulture);
    }
}
