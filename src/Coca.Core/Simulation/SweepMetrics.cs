using Coca.Core.Numerics;
using System.Globalization;

namespace Coca.Core.Simulation;

/// <summary>
/// The metric each run of a planted sweep logged (<c>job_id,name,value,step</c>): a validation loss over five
/// steps, falling towards a floor each run draws, so that which runs helped can be told from the numbers.
/// </summary>
public static class SweepMetrics
{
    public const int Steps = 5;

    public static void Write(Simulation sim, TextWriter output)
    {
        var rng = new SplitMix64(sim.Options.Seed ^ 0x5eed5);
        output.Write("job_id,name,value,step\n");
        foreach (var run in sim.Runs.Where(r => r.Kind == Analysis.BehaviourKind.Sweep))
        {
            foreach (var id in run.JobIds)
            {
                var floor = rng.Uniform(0.2, 1.2);
                for (var step = 1; step <= Steps; step++)
                {
                    var loss = floor + 2.0 * Math.Exp(-0.6 * step) * rng.Uniform(0.9, 1.1);
                    output.Write(string.Create(CultureInfo.InvariantCulture, $"{id},val_loss,{loss:0.0000},{step}\n"));
                }
            }
        }
    }
}
