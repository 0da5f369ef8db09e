namespace Coca.Core.Simulation;

/// <summary>
/// Places jobs, in submission order, on the node where the GPUs they ask for are free soonest (first fit, no
/// backfill): whole GPUs on one node, the ones free longest; a CPU-only job on its drawn node, at once. Enough
/// for the energy to land on real GPU indices and for the node feeds to add up; not a model of Slurm's scheduler.
/// </summary>
public static class ClusterScheduler
{
    /// <summary>Seconds a GPU stays free after a job before the next may take it (Epilog, cleanup).</summary>
    public const int TurnaroundS = 10;

    public static IReadOnlyList<SimJob> Place(IReadOnlyList<SimJob> jobs, SimulationOptions options, IReadOnlyList<string> nodeNames)
    {
        var freeAt = new DateTimeOffset[options.Nodes][];
        for (var n = 0; n < options.Nodes; n++) freeAt[n] = Enumerable.Repeat(DateTimeOffset.MinValue, options.GpusPerNode).ToArray();
        var placed = new List<SimJob>(jobs.Count);
        foreach (var job in jobs)
        {
            var earliest = job.Submit.AddSeconds(job.QueueDelayS);
            if (job.Gpus == 0)
            {
                placed.Add(job with { Node = nodeNames[job.NodeHint], Start = earliest, GpuIndices = [] });
                continue;
            }
            var bestNode = -1;
            var bestStart = DateTimeOffset.MaxValue;
            int[] bestGpus = [];
            for (var n = 0; n < options.Nodes; n++)
            {
                var gpus = Enumerable.Range(0, options.GpusPerNode).OrderBy(g => freeAt[n][g]).ThenBy(g => g).Take(job.Gpus).ToArray();
                var start = gpus.Select(g => freeAt[n][g]).Append(earliest).Max();
                if (start < bestStart)
                {
                    (bestNode, bestStart, bestGpus) = (n, start, gpus);
                }
            }
            Array.Sort(bestGpus);
            var end = bestStart.AddSeconds(job.ElapsedS + TurnaroundS);
            foreach (var g in bestGpus) freeAt[bestNode][g] = end;
            placed.Add(job with { Node = nodeNames[bestNode], Start = bestStart, GpuIndices = bestGpus });
        }
        return placed;
    }
}
