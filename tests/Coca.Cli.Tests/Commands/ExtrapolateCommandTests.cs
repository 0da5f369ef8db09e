using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca extrapolate</c> on a simulated week (sacct imported, the agents' batches ingested): the JSON, every what-if answered, bad targets refused in one line.</summary>
public sealed class ExtrapolateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-extrapolate-cli");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private void Load()
    {
        var sim = CocaProcess.Run(["simulate", "--days", "7", "--out", _dir.Combine("sim")]);
        Assert.True(sim.ExitCode == 0, sim.Stderr);
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", _dir.Combine("sim", "sacct.txt")]);
        Assert.True(import.ExitCode == 0, import.Stderr);
        using var store = JobStores.Open(Db);
        foreach (var file in Directory.GetFiles(_dir.Combine("sim", "batches")).Order(StringComparer.Ordinal))
        {
            var batch = JsonSerializer.Deserialize(File.ReadAllText(file), IngestJsonContext.Default.IngestBatch)!;
            Assert.Empty(store.Ingest(batch.Node, batch.Jobs, batch.Series).Refused);
        }
    }

    [Fact]
    public void Jean_zay_gets_ranges_every_what_if_an_answer_and_the_rebound_its_months()
    {
        Load();
        var r = CocaProcess.Run(["extrapolate", "--db", Db, "--target", "jean-zay", "--what-if", "cancel-zero-gpu-after=2h,stop-crash-loops-after=2,cap-sweeps=5,release-idle-interactive-after=1h,stop-at-last-gpu-activity,pue=1.1,carbon=hourly-shift", "--json"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json;
        Assert.True(json.GetProperty("site").GetProperty("kwh_per_gpu_hour").GetDouble() > 0);
        var target = json.GetProperty("target");
        Assert.Equal("jean-zay", target.GetProperty("name").GetString());
        foreach (var key in new[] { "energy_mwh", "emissions_t" })
        {
            var v = target.GetProperty(key).EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(3, v.Length);
            Assert.True(v[0] > 0 && v[0] <= v[1] && v[1] <= v[2], key);
        }
        var whatIf = json.GetProperty("what_if").EnumerateArray().ToDictionary(w => w.GetProperty("scenario").GetString()!);
        Assert.Equal(7, whatIf.Count);
        // The simulation planted each waste these scenarios stop: each saves energy at the site and at the target.
        foreach (var s in new[] { "cancel-zero-gpu-after=2h", "stop-crash-loops-after=2", "cap-sweeps=5", "release-idle-interactive-after=1h", "stop-at-last-gpu-activity" })
        {
            Assert.True(whatIf[s].GetProperty("site_saved_kwh").GetDouble() > 0, s);
            Assert.True(whatIf[s].GetProperty("target_saved_mwh")[0].GetDouble() > 0, s);
        }
        // Jean Zay publishes no hourly intensity here: the shift is unknown, with its reason, never 0.
        Assert.Equal(JsonValueKind.Null, whatIf["carbon=hourly-shift"].GetProperty("target_saved_t").ValueKind);
        Assert.True(whatIf["carbon=hourly-shift"].TryGetProperty("reason", out _));
        Assert.True(json.GetProperty("rebound").GetProperty("months").GetArrayLength() >= 1);
    }

    [Fact]
    public void A_bad_target_or_scenario_is_one_line_and_exit_2()
    {
        Load();
        var file = _dir.Combine("t.toml");
        File.WriteAllText(file, "name = \"x\"\n[gpus]\na100 = 10\n[tdp_w]\na100 = 400\n[pue]\nlow = 1.1\nmid = 1.2\nhigh = 1.3\n");
        foreach (var args in new[] { new[] { "--target", file }, ["--target", _dir.Combine("none.toml")], ["--target", "jean-zay", "--what-if", "pue=NaN"] })
        {
            var r = CocaProcess.Run(["extrapolate", "--db", Db, .. args]);
            Assert.True(r.ExitCode == 2, r.Stderr);
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
    }

    public void Dispose() => _dir.Dispose();
}
