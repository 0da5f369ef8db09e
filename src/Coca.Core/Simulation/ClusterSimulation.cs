using Coca.Core.Numerics;
using System.Globalization;
using Coca.Core.Analysis;

namespace Coca.Core.Simulation;

/// <summary>A planted run, by the ids users see.</summary>
public sealed record PlantedRun(string Kind, IReadOnlyList<string> JobIds);

/// <summary>The simulated period: its jobs in submission order, scheduled and numbered, and the runs planted among them.</summary>
public sealed record Simulation(SimulationOptions Options, IReadOnlyList<string> Nodes, IReadOnlyList<SimJob> Jobs, IReadOnlyList<PlantedRun> Runs)
{
    public DateTimeOffset End => Options.Start.AddDays(Options.Days);
}

/// <summary>
/// <c>coca simulate</c>'s core: draws the jobs (<see cref="JobGenerator"/>), numbers them in submission order as
/// Slurm would (an array takes one id and its tasks the ids after it), and schedules them. Pure: the same options
/// give the same simulation; the files are written from it by the caller.
/// </summary>
public static class ClusterSimulation
{
    public const long FirstJobId = 100_000;

    public static Simulation Run(SimulationOptions options)
    {
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        var (drafts, groups) = new JobGenerator(options, new SplitMix64(options.Seed)).Generate();
        var sorted = drafts.OrderBy(j => j.Submit).ThenBy(j => j.Order).ToList();
        var numbered = new List<SimJob>(sorted.Count);
        var ids = new string[drafts.Count];
        var next = FirstJobId;
        for (var i = 0; i < sorted.Count; i++)
        {
            var job = sorted[i];
            if (job.ArrayOf is { } array)
            {
                var arrayId = next;
                var task = 0;
                for (; i < sorted.Count && sorted[i].ArrayOf == array; i++, task++)
                {
                    var t = sorted[i] with
                    {
                        JobId = string.Create(CultureInfo.InvariantCulture, $"{arrayId}_{task}"),
                        JobIdRaw = (arrayId + task).ToString(CultureInfo.InvariantCulture),
                        ArrayJobId = arrayId.ToString(CultureInfo.InvariantCulture),
                    };
                    ids[t.Order] = t.JobId;
                    numbered.Add(t);
                }
                i--;
                next = arrayId + task;
                continue;
            }
            var id = (next++).ToString(CultureInfo.InvariantCulture);
            ids[job.Order] = id;
            numbered.Add(job with { JobId = id, JobIdRaw = id });
        }
        var width = Math.Max(2, options.Nodes.ToString(CultureInfo.InvariantCulture).Length);
        var nodes = Enumerable.Range(1, options.Nodes).Select(n => "n" + n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')).ToList();
        var placed = ClusterScheduler.Place(numbered, options, nodes);
        var runs = groups.Select(g => new PlantedRun(g.Kind, [.. g.Members.Select(m => ids[m])])).ToList();
        return new Simulation(options, nodes, placed, runs);
    }

    /// <summary>What was planted, per kind: jobs for the per-job kinds, runs for crash loops and sweeps.</summary>
    public static IReadOnlyDictionary<string, long> PlantedCounts(Simulation sim)
    {
        var counts = BehaviourKind.All.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        foreach (var job in sim.Jobs)
        {
            foreach (var k in job.Kinds) counts[k]++;
        }
        foreach (var run in sim.Runs) counts[run.Kind]++;
        return counts;
    }
}
