using Coca.Core.Numerics;
using System.Globalization;
using System.Text.Json;
using Coca.Core.Analysis;

namespace Coca.Core.Simulation;

/// <summary>
/// <c>truth.json</c>: what the simulator planted, for a reader (or a test) to hold <c>coca behaviours</c> to. Per
/// kind: how many (jobs for the per-job kinds, runs for <c>crash_loop</c> and <c>sweep</c>), the share of all jobs,
/// and which jobs; then the period's totals and the stated distributions it was drawn from.
/// </summary>
public static class SimulationTruth
{
    public static void Write(Simulation sim, Utf8JsonWriter json)
    {
        var o = sim.Options;
        var counts = ClusterSimulation.PlantedCounts(sim);
        json.WriteStartObject();
        json.WriteString("generator", "coca simulate");
        json.WriteString("prng", "SplitMix64");
        json.WriteNumber("seed", o.Seed);
        json.WriteNumber("nodes", o.Nodes);
        json.WriteNumber("gpus_per_node", o.GpusPerNode);
        json.WriteNumber("users", o.Users);
        json.WriteNumber("days", o.Days);
        json.WriteString("start", Time(o.Start));
        json.WriteString("end", Time(sim.End));
        json.WriteNumber("jobs", sim.Jobs.Count);
        json.WriteNumber("not_completed_share", Round((double)sim.Jobs.Count(j => j.State != "COMPLETED") / Math.Max(1, sim.Jobs.Count)));
        json.WriteNumber("gpu_hours", Round(sim.Jobs.Sum(j => (double)j.Gpus * j.ElapsedS) / 3600));
        json.WriteNumber("energy_kwh", Round(sim.Jobs.Sum(j => PowerModel.Of(j).TotalJ) / 3.6e6));
        json.WriteStartObject("planted");
        foreach (var kind in BehaviourKind.All)
        {
            var group = kind is BehaviourKind.CrashLoop or BehaviourKind.Sweep;
            json.WriteStartObject(kind);
            json.WriteNumber("count", counts[kind]);
            json.WriteString("unit", group ? "runs" : "jobs");
            json.WriteNumber("rate_per_job", Round((double)counts[kind] / Math.Max(1, sim.Jobs.Count)));
            if (group)
            {
                json.WriteStartArray("runs");
                foreach (var run in sim.Runs.Where(r => r.Kind == kind))
                {
                    json.WriteStartArray();
                    foreach (var id in run.JobIds) json.WriteStringValue(id);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            else
            {
                json.WriteStartArray("job_ids");
                foreach (var j in sim.Jobs.Where(j => j.Kinds.Contains(kind))) json.WriteStringValue(j.JobId);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("stated");
        json.WriteNumber("jobs_per_user_day", JobMix.JobsPerUserDay);
        json.WriteNumber("crash_loop_per_submission", JobMix.CrashLoopUnit);
        json.WriteNumber("sweep_per_submission", JobMix.SweepUnit);
        json.WriteNumber("array_per_submission", JobMix.ArrayUnit);
        json.WriteNumber("single_job_fails", JobMix.SingleFails);
        json.WriteNumber("failed_early_of_failed", JobMix.FailsEarly);
        json.WriteNumber("cpu_only", JobMix.CpuOnly);
        json.WriteNumber("interactive", JobMix.Interactive);
        json.WriteNumber("idle_interactive_of_interactive", JobMix.IdleInteractiveOfInteractive);
        json.WriteNumber("zero_gpu", JobMix.ZeroGpu);
        json.WriteNumber("low_gpu", JobMix.LowGpu);
        json.WriteNumber("dataloader_bound", JobMix.DataloaderBound);
        json.WriteNumber("unused_gpus_of_multi_gpu", JobMix.UnusedGpusOfMultiGpu);
        json.WriteNumber("tail_after_gpu_activity", JobMix.Tail);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    private static double Round(double x) => Math.Round(x, 6);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
