using System.Text.Json;
using Coca.Core.Analysis;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>
/// <c>coca simulate</c>: the same seed gives the same bytes, another seed other bytes; and what it planted is what
/// <c>coca behaviours</c> finds once the dump is imported and the agents' batches ingested, kind by kind.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-simulate-cli");

    private static IEnumerable<(string Name, byte[] Bytes)> Files(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(dir, f), File.ReadAllBytes(f)));

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        string[] small = ["--nodes", "4", "--users", "20", "--days", "7"];
        var a = CocaProcess.Run(["simulate", .. small, "--seed", "5", "--out", _dir.Combine("a")]);
        var b = CocaProcess.Run(["simulate", .. small, "--seed", "5", "--out", _dir.Combine("b")]);
        var c = CocaProcess.Run(["simulate", .. small, "--seed", "6", "--out", _dir.Combine("c")]);
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0 && c.ExitCode == 0, a.Stderr + b.Stderr + c.Stderr);
        var first = Files(_dir.Combine("a")).ToList();
        Assert.Contains(first, f => f.Name == "sacct.txt");
        Assert.Contains(first, f => f.Name == Path.Combine("batches", "n01-0001.json"));
        Assert.Equal(first.Select(f => f.Name), Files(_dir.Combine("b")).Select(f => f.Name));
        Assert.All(first.Zip(Files(_dir.Combine("b"))), p => Assert.True(p.First.Bytes.AsSpan().SequenceEqual(p.Second.Bytes), p.First.Name + " differs"));
        Assert.False(File.ReadAllBytes(_dir.Combine("a", "sacct.txt")).AsSpan().SequenceEqual(File.ReadAllBytes(_dir.Combine("c", "sacct.txt"))));
    }

    [Fact]
    public void Every_planted_behaviour_is_found_at_its_rate_within_five_percent()
    {
        var sim = CocaProcess.Run(["simulate", "--out", _dir.Combine("sim")]);
        Assert.True(sim.ExitCode == 0, sim.Stderr);
        var db = "sqlite:" + _dir.Combine("coca.db");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", db, "--timezone", "UTC", _dir.Combine("sim", "sacct.txt")]);
        Assert.True(import.ExitCode == 0, import.Stderr);
        // The agents' batches through the store's ingest, as the server applies them (the server's own path is the demo's test).
        using (var store = JobStores.Open(db))
        {
            foreach (var file in Directory.GetFiles(_dir.Combine("sim", "batches")).Order(StringComparer.Ordinal))
            {
                var batch = JsonSerializer.Deserialize(File.ReadAllText(file), IngestJsonContext.Default.IngestBatch)!;
                var outcome = store.Ingest(batch.Node, batch.Jobs, batch.Series);
                Assert.Empty(outcome.Refused);
            }
        }
        var found = CocaProcess.Run(["behaviours", "--db", db, "--json"], timeoutSeconds: 120);
        Assert.True(found.ExitCode == 0, found.Stderr);
        var byKind = found.Json.GetProperty("findings").EnumerateArray().GroupBy(f => f.GetProperty("kind").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        using var truth = JsonDocument.Parse(File.ReadAllText(_dir.Combine("sim", "truth.json")));
        var jobs = truth.RootElement.GetProperty("jobs").GetInt32();
        Assert.Equal(jobs, found.Json.GetProperty("summary").GetProperty("jobs").GetInt32());
        foreach (var kind in BehaviourKind.All)
        {
            var planted = truth.RootElement.GetProperty("planted").GetProperty(kind).GetProperty("count").GetInt32();
            Assert.True(planted > 0, $"{kind}: nothing planted");
            var seen = byKind.GetValueOrDefault(kind);
            Assert.True(Math.Abs(seen - planted) <= 0.05 * planted, $"{kind}: planted {planted} of {jobs} jobs, found {seen}");
        }
        // About a third of the jobs did not complete, as in the public traces the mix is anchored on.
        Assert.InRange(truth.RootElement.GetProperty("not_completed_share").GetDouble(), 0.28, 0.38);
    }

    [Fact]
    public void The_first_nodes_readings_are_what_coca_attribute_reads_and_its_books_balance()
    {
        var sim = CocaProcess.Run(["simulate", "--nodes", "2", "--users", "10", "--days", "2", "--out", _dir.Combine("r")]);
        Assert.True(sim.ExitCode == 0, sim.Stderr);
        var attribute = CocaProcess.Run(["attribute", "--readings", _dir.Combine("r", "readings.csv"), "--jobs", _dir.Combine("r", "readings-jobs.csv")]);
        Assert.True(attribute.ExitCode == 0, attribute.Stderr);
        Assert.Contains("books balance to 0 µJ", attribute.Stdout, StringComparison.Ordinal);
        Assert.Contains("u0", attribute.Stdout, StringComparison.Ordinal); // jobs were charged, not only idle
    }

    [Fact]
    public void A_number_out_of_range_is_one_line_and_exit_2()
    {
        var bad = CocaProcess.Run(["simulate", "--nodes", "0", "--out", _dir.Combine("x")]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.Contains("--nodes", bad.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("x")));
    }

    public void Dispose() => _dir.Dispose();
}
