using System.Text.Json;
using Coca.Core.Ingest;
using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>coca jobs' columns, filters and CSV; coca job's seff figures and JSON keys; an array id shows the array.</summary>
public sealed class JobViewsTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|Comment|TotalCPU|AllocCPUS|ReqMem|MaxRSS|Timelimit|WorkDir|SubmitLine";
    private readonly TempDirectory _dir = new("coca-job-views");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private static readonly string[] Lines =
    [
        "10|10|train, \"big\"|alice|gpu|gpu[01-02]|cpu=8,gres/gpu=2|2026-02-01T10:00:00|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0||model=resnet50 task=train|04:00:00|8|16G||04:00:00|/home/alice/p|sbatch --lr=0.1 train.sh",
        "10.batch|10.batch|batch||gpu|gpu01|cpu=8,gres/gpu=2|2026-02-01T10:00:30|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|7200000||04:00:00|8||3221225472||||",
        "11_1|12|sweep|bob|cpu|cpu07|cpu=4|2026-02-02T09:00:00|2026-02-02T09:01:00|2026-02-02T09:31:00|00:30:00|FAILED|1:0|360000|model=vit||4|4000Mc||UNLIMITED|/w|sbatch --array=1-3 sweep.sh",
        "11_2|13|sweep|bob|cpu|cpu08|cpu=4|2026-02-02T09:00:00|2026-02-02T09:01:00|2026-02-02T09:41:00|00:40:00|COMPLETED|0:0||model=vit||4|4000Mc||UNLIMITED|/w|sbatch --array=1-3 sweep.sh",
        "11_[3]|11|sweep|bob|cpu|None assigned||2026-02-02T09:00:00|Unknown|Unknown|00:00:00|PENDING|0:0||model=vit||0|4000Mc||UNLIMITED|/w|sbatch --array=1-3 sweep.sh",
    ];

    public JobViewsTests()
    {
        var dump = _dir.Combine("sacct.txt");
        File.WriteAllText(dump, Header + "\n" + string.Join("\n", Lines) + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private CocaProcess.Result Coca(params string[] args) => CocaProcess.Run([.. args, "--db", Db]);

    private string[] Ids(params string[] args) =>
        JsonDocument.Parse(Coca(["jobs", "--json", .. args]).Stdout).RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!).ToArray();

    [Fact]
    public void The_table_shows_what_each_job_was_beside_its_cost()
    {
        var r = Coca("jobs");
        Assert.Equal(0, r.ExitCode);
        foreach (var word in new[] { "name", "partition", "nodes", "start", "elapsed", "GPUs", "state (exit)", "energy", "gpu[01-02]", "02:00:00", "FAILED (1:0)", "2026-02-01 10:00" })
        {
            Assert.Contains(word, r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Jobs_filter_by_partition_node_and_tag()
    {
        Assert.Equal(["10"], Ids("--partition", "gpu"));
        Assert.Equal(["10"], Ids("--node", "gpu02"));
        Assert.Equal(["11_2"], Ids("--node", "cpu08"));
        Assert.Empty(Ids("--node", "gpu03"));
        Assert.Equal(["11_[3]", "11_1", "11_2"], Ids("--tag", "model=vit")); // by submit time, then raw id
        Assert.Equal(["10"], Ids("--tag", "Task=train"));
    }

    [Theory]
    [InlineData("--tag", "model")]
    [InlineData("--tag", "a=1 b=2")]
    [InlineData("--node", "gpu[01-02]")]
    [InlineData("--node", "a,b")]
    [InlineData("--partition", " ")]
    public void A_bad_filter_is_a_one_line_usage_error(string option, string value)
    {
        var r = Coca("jobs", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains(option, r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_and_csv_or_summary_and_node_do_not_combine()
    {
        Assert.Equal(2, Coca("jobs", "--json", "--csv").ExitCode);
        Assert.Equal(2, Coca("jobs", "--summary", "--node", "gpu01").ExitCode);
        Assert.Equal(2, Coca("jobs", "--summary", "--csv").ExitCode);
    }

    [Fact]
    public void Csv_is_rfc_4180_with_a_header_units_in_names_and_unknown_as_empty()
    {
        var r = Coca("jobs", "--csv");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("\r\n", r.Stdout, StringComparison.Ordinal);
        var lines = r.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        var header = lines[0].Split(',');
        foreach (var column in new[] { "job_id", "elapsed_s", "energy_kwh", "emissions_g", "slurm_energy_kwh", "gpu_util_pct", "cpu_efficiency_pct", "submit_utc" }) Assert.Contains(column, header);
        // The name holds a comma and quotes: quoted, quotes doubled.
        Assert.StartsWith("10,10,,\"train, \"\"big\"\"\",alice,", lines[1], StringComparison.Ordinal);
        var failed = Fields(lines[3], header);                          // 11_1 (raw 12), after 11_[3] (raw 11)
        Assert.Equal("", failed["energy_kwh"]);                         // no agent measured it: unknown, not 0
        Assert.Equal("0.1", failed["slurm_energy_kwh"]);                // 360,000 J
        Assert.Equal("1800", failed["elapsed_s"]);
        Assert.Equal("2026-02-02T09:01:00Z", failed["start_utc"]);
        var train = Fields(lines[1], header);
        Assert.Equal("25", train["cpu_efficiency_pct"]);                // 4 h CPU / (2 h × 8)
        Assert.Equal("50", train["timelimit_use_pct"]);
        Assert.Equal("model=resnet50 task=train", train["tags"]);
        Assert.Equal("false", train["interactive"]);
    }

    // Splits a line whose only quoted field is the name (enough for these rows).
    private static Dictionary<string, string> Fields(string line, string[] header)
    {
        var values = line.StartsWith("10,", StringComparison.Ordinal)
            ? [.. line.Split(",\"train, \"\"big\"\"\",")[0].Split(','), "train, \"big\"", .. line.Split(",\"train, \"\"big\"\"\",")[1].Split(',')]
            : line.Split(',');
        Assert.Equal(header.Length, values.Length);
        return header.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }

    [Fact]
    public void Job_shows_seff_figures_tags_and_fingerprint_and_its_json_has_the_documented_keys()
    {
        using (var store = JobStores.Open(Db))
        {
            store.UpsertSeries([
                new SeriesPoint("10", "gpu01", "gpu:GPU-a", new DateTimeOffset(2026, 2, 1, 10, 1, 0, TimeSpan.Zero), 1_000, 200, 0.4),
                new SeriesPoint("10", "gpu01", "gpu:GPU-a", new DateTimeOffset(2026, 2, 1, 10, 2, 0, TimeSpan.Zero), 2_000, 210, 0.6),
            ]);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var text = Coca("job", "10").Stdout;
        Assert.Contains("CPU         efficiency 25 %", text, StringComparison.Ordinal);
        Assert.Contains("memory      efficiency 19 %", text, StringComparison.Ordinal); // 3 GiB of 16 GiB
        Assert.Contains("time limit  used 50 %", text, StringComparison.Ordinal);
        Assert.Contains("gpu01 gpu:GPU-a: utilisation 50 % (2 points); memory not recorded", text, StringComparison.Ordinal);
        Assert.Contains("activity    batch, tags model=resnet50 task=train", text, StringComparison.Ordinal);
        Assert.Matches("fingerprint [0-9a-f]{16}", text);

        var json = JsonDocument.Parse(Coca("job", "10", "--json").Stdout).RootElement;
        var efficiency = json.GetProperty("efficiency");
        Assert.Equal(0.25, efficiency.GetProperty("cpu").GetProperty("value").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, efficiency.GetProperty("cpu").GetProperty("reason").ValueKind);
        Assert.Equal(0.5, efficiency.GetProperty("time_limit").GetProperty("value").GetDouble(), 9);
        Assert.Equal((14_400.0, 8, 16L << 30, 3L << 30, 14_400L), (json.GetProperty("total_cpu_s").GetDouble(), json.GetProperty("alloc_cpus").GetInt32(),
            json.GetProperty("req_mem_bytes").GetInt64(), json.GetProperty("max_rss_bytes").GetInt64(), json.GetProperty("timelimit_s").GetInt64()));
        Assert.Equal("resnet50", json.GetProperty("tags").GetProperty("model").GetString());
        Assert.Matches("^[0-9a-f]{16}$", json.GetProperty("fingerprint").GetString());
        Assert.False(json.GetProperty("interactive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("framework").ValueKind);
        var gpu = Assert.Single(json.GetProperty("per_gpu").EnumerateArray());
        Assert.Equal((0.5, "not recorded"), (gpu.GetProperty("utilisation").GetDouble(), gpu.GetProperty("memory_reason").GetString()!));
        Assert.Equal(0, json.GetProperty("findings").GetArrayLength());

        // A task without CPU time or a limit: null with the reason.
        var task = JsonDocument.Parse(Coca("job", "11_1", "--json").Stdout).RootElement.GetProperty("efficiency");
        Assert.Equal(JsonValueKind.Null, task.GetProperty("cpu").GetProperty("value").ValueKind);
        Assert.Contains("TotalCPU", task.GetProperty("cpu").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("UNLIMITED", task.GetProperty("time_limit").GetProperty("reason").GetString(), StringComparison.Ordinal);
        // Listings leave out what only coca job looks up.
        var listed = JsonDocument.Parse(Coca("jobs", "--json").Stdout).RootElement.GetProperty("jobs")[0];
        Assert.False(listed.TryGetProperty("per_gpu", out _));
        Assert.True(listed.TryGetProperty("efficiency", out _));
    }

    [Fact]
    public void An_array_id_shows_the_array_and_a_task_id_the_task()
    {
        var text = Coca("job", "11").Stdout;
        Assert.Contains("Job array 11: sweep, 3 task(s)", text, StringComparison.Ordinal);
        Assert.Contains("FAILED 1", text, StringComparison.Ordinal);
        Assert.Contains("11_[3]", text, StringComparison.Ordinal);
        Assert.Contains("no task measured; Slurm's own figure 0.1 kWh over 1 other task(s); 2 task(s) with no energy figure", text, StringComparison.Ordinal);

        var json = JsonDocument.Parse(Coca("job", "11", "--json").Stdout).RootElement;
        Assert.Equal(("11", 3, 2), (json.GetProperty("array_job_id").GetString()!, json.GetProperty("tasks").GetArrayLength(), json.GetProperty("unknown_energy_tasks").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("energy_kwh").ValueKind);
        Assert.Equal("slurm", json.GetProperty("tasks")[0].GetProperty("energy_source").GetString());

        Assert.Contains("Job 11_2 (raw 13)", Coca("job", "11_2").Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Coca("job", "99").ExitCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
