using Coca.Core.Numerics;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Coca.Commands.Node;
using Coca.Core.Simulation;

namespace Coca.Commands.Site;

/// <summary>
/// <c>coca simulate</c>: a cluster's month as Coca4ai would receive it, drawn by <see cref="ClusterSimulation"/> and
/// written here (the only I/O): the same options give the same bytes.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Nodes whose wattmeter feed is written, and hours of device readings for the first node.</summary>
    public const int WattmeterNodes = 2, ReadingHours = 24;

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = $"GPU nodes (1 to {SimulationOptions.MaxNodes}; default 12)", DefaultValueFactory = _ => 12, HelpName = "N" };
        var gpus = new Option<int>("--gpus-per-node") { Description = $"GPUs per node (1 to {SimulationOptions.MaxGpusPerNode}; default 8)", DefaultValueFactory = _ => 8, HelpName = "N" };
        var users = new Option<int>("--users") { Description = $"Users (1 to {SimulationOptions.MaxUsers}; default 99)", DefaultValueFactory = _ => 99, HelpName = "N" };
        var days = new Option<int>("--days") { Description = $"Days simulated from 2026-01-05 (1 to {SimulationOptions.MaxDays}; default 30)", DefaultValueFactory = _ => 30, HelpName = "N" };
        var seed = new Option<long>("--seed") { Description = "Seed of the SplitMix64 generator (a whole number ≥ 0; default 1): the same seed gives the same bytes", DefaultValueFactory = _ => 1, HelpName = "N" };
        var output = new Option<string>("--out") { Description = "Directory to write into (created if missing; the simulator's files in it are replaced)", Required = true, HelpName = "DIR" };
        var command = new Command("simulate", """
            Write what a GPU cluster would give Coca4ai over a period, drawn from stated distributions (docs/simulate.md)
            with every behaviour planted at a stated rate: sacct.txt (sacct --parsable2 with its header, times in UTC:
            import with `coca slurm import-sacct --timezone UTC`), batches/NODE-SEQ.json (the agents' ingest batches),
            readings.csv and readings-jobs.csv (the first node's devices for a day, for `coca attribute`),
            wattmeter.csv (two nodes' wattmeter feed), metrics.csv (the sweeps' metrics) and truth.json (what was planted).
            """);
        foreach (var o in new Option[] { nodes, gpus, users, days, seed, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(seed) < 0) throw new UsageException("--seed must be a whole number ≥ 0");
            var options = new SimulationOptions
            {
                Nodes = parse.GetValue(nodes), GpusPerNode = parse.GetValue(gpus), Users = parse.GetValue(users), Days = parse.GetValue(days),
                Seed = (ulong)parse.GetValue(seed),
            };
            if (options.Problem() is { } problem) throw new UsageException(problem);
            var dir = parse.GetValue(output)!;
            try
            {
                var summary = Write(ClusterSimulation.Run(options), dir);
                Console.Error.WriteLine(summary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException($"cannot write {dir}: {e.Message}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes the simulation's files into <paramref name="dir"/>; returns a one-line summary.</summary>
    public static string Write(Simulation sim, string dir)
    {
        Directory.CreateDirectory(dir);
        var batches = Path.Combine(dir, "batches");
        if (Directory.Exists(batches))
        {
            foreach (var old in Directory.GetFiles(batches, "*.json")) File.Delete(old);
        }
        Directory.CreateDirectory(batches);
        Text(Path.Combine(dir, "sacct.txt"), w => SacctDump.Write(sim, w));
        var count = 0;
        foreach (var (node, sequence, json) in AgentBatches.Build(sim))
        {
            File.WriteAllText(Path.Combine(batches, $"{node}-{sequence:0000}.json"), json, Utf8);
            count++;
        }
        Text(Path.Combine(dir, "readings.csv"), w => NodeFeeds.WriteReadings(sim, sim.Nodes[0], ReadingHours, w));
        Text(Path.Combine(dir, "readings-jobs.csv"), w => NodeFeeds.WriteRecordedJobs(sim, sim.Nodes[0], ReadingHours, w));
        Text(Path.Combine(dir, "wattmeter.csv"), w => NodeFeeds.WriteWattmeter(sim, [.. sim.Nodes.Take(WattmeterNodes)], w));
        Text(Path.Combine(dir, "metrics.csv"), w => SweepMetrics.Write(sim, w));
        using (var stream = File.Create(Path.Combine(dir, "truth.json")))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            SimulationTruth.Write(sim, json);
        }
        return $"{sim.Jobs.Count} jobs on {sim.Nodes.Count} nodes over {sim.Options.Days} days (seed {sim.Options.Seed}): {count} agent batches; written to {dir}";
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static void Text(string path, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(path, append: false, Utf8, bufferSize: 1 << 16) { NewLine = "\n" };
        write(writer);
    }
}
