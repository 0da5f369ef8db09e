using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Server;
using Coca.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coca.Bench;

/// <summary>
/// Many simulated agents on loopback, each pushing a batch a second to one `coca server`: batches/s, ingest
/// latency percentiles, and whether every batch arrived exactly once (then a replay of every tenth one).
/// </summary>
internal static class IngestLoad
{
    public sealed record Result(string Store, int Agents, double Seconds, long Sent, long Applied, long Replayed, long ReplaysApplied, long Failed,
        double BatchesPerSecond, double P50Ms, double P99Ms, double MaxMs, bool ExactlyOnce, bool FiguresExact);

    public static async Task<Result> RunAsync(string storeKind, int agents, TimeSpan duration)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-ingest");
        var location = storeKind == "postgres" ? TestSupport.PostgresServer.NewDatabase() : "sqlite:" + dir.Combine("coca.db");
        var tokens = new string[agents];
        using (var store = JobStores.Open(location))
        {
            store.Migrate();
            for (var i = 0; i < agents; i++) tokens[i] = store.IssueToken(TokenRoles.Agent, Node(i));
        }
        await using var app = CocaServer.Build(new ServerOptions { Store = location, Listen = "http://127.0.0.1:0" });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = agents, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(30),
        };

        var latencies = new ConcurrentBag<double>();
        long sent = 0, applied = 0, failed = 0;
        var lastEnergy = new long[agents];
        var started = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, agents).Select(async agent =>
        {
            // Spread the agents over the second, as real ones are.
            await Task.Delay(TimeSpan.FromMilliseconds(1000.0 * agent / agents));
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            long sequence = 0;
            do
            {
                sequence++;
                var energy = sequence * 250_000_000L; // 250 J per second per job
                var (ok, wasApplied, ms) = await Send(http, tokens[agent], Batch(agent, sequence, energy));
                latencies.Add(ms);
                Interlocked.Increment(ref sent);
                if (!ok) Interlocked.Increment(ref failed);
                if (wasApplied) Interlocked.Increment(ref applied);
                lastEnergy[agent] = energy;
            }
            while (started.Elapsed < duration && await timer.WaitForNextTickAsync());
            return sequence;
        }).ToList();
        var sequences = await Task.WhenAll(tasks);
        var seconds = started.Elapsed.TotalSeconds;

        // Replay every tenth batch: none may change anything.
        long replayed = 0, replaysApplied = 0;
        for (var agent = 0; agent < agents; agent++)
        {
            for (long s = 1; s <= sequences[agent]; s += 10)
            {
                var (_, wasApplied, _) = await Send(http, tokens[agent], Batch(agent, s, 1));
                replayed++;
                if (wasApplied) replaysApplied++;
            }
        }

        bool exactlyOnce, figuresExact;
        using (var store = JobStores.Open(location))
        {
            var jobs = store.Jobs(new JobQuery(Limit: 100_000));
            exactlyOnce = applied == sequences.Sum() && replaysApplied == 0;
            figuresExact = jobs.Count == agents * 2 && jobs.All(j => j.GpuUj == lastEnergy[int.Parse(j.JobIdRaw, CultureInfo.InvariantCulture) % 10_000]);
        }
        var sorted = latencies.Order().ToArray();
        return new Result(storeKind, agents, seconds, sent, applied, replayed, replaysApplied, failed, sent / seconds,
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.LastOrDefault(), exactlyOnce, figuresExact);
    }

    private static string Node(int i) => "node" + i.ToString("D4", CultureInfo.InvariantCulture);

    // Two running jobs per node, each with four GPUs' series points: a realistic 1-second batch.
    private static byte[] Batch(int agent, long sequence, long energyUj)
    {
        var node = Node(agent);
        var asOf = DateTimeOffset.UnixEpoch.AddSeconds(1_767_225_600 + sequence);
        var jobs = Enumerable.Range(0, 2).Select(j => new JobMeasurement
        {
            JobIdRaw = JobOf(j, agent),
            Node = node,
            User = "user" + (agent % 100).ToString(CultureInfo.InvariantCulture),
            Start = DateTimeOffset.UnixEpoch.AddSeconds(1_767_225_600),
            EnergyOnWire = [energyUj / 10, energyUj / 20, energyUj, 0],
            ProvenanceOnWire = ["measured", "measured", "measured", "none"],
            Coverage = 1,
            GpuSeconds = sequence * 4,
            GpuBusySeconds = sequence * 3,
            AsOf = asOf,
        }).ToList();
        var series = jobs.SelectMany(j => Enumerable.Range(0, 4).Select(g => new SeriesPoint(j.JobIdRaw, node, $"gpu:GPU-{agent:x4}-{g}", asOf, energyUj, 300, 0.8))).ToList();
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new IngestBatch(node, sequence, jobs, series), IngestJsonContext.Default.IngestBatch));
    }

    private static async Task<(bool Ok, bool Applied, double Ms)> Send(HttpClient http, string token, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode) return (false, false, ms);
            return (true, text.Contains("\"applied\":true", StringComparison.Ordinal), ms);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, false, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    // A Slurm job id, as the server accepts only those: job j of agent a is (j + 1) × 10 000 + a.
    private static string JobOf(int j, int agent) => ((j + 1) * 10_000 + agent).ToString(CultureInfo.InvariantCulture);
}
