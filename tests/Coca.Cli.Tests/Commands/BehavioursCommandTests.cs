using System.Text.Json;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>
/// <c>coca behaviours</c> on a sacct dump alone (no agent), with every kind sacct can show planted beside a near miss
/// that must not fire: the findings must be exactly the planted ones.
/// </summary>
public sealed class BehavioursCommandTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|TRESUsageInTot|TotalCPU|AllocCPUS|SubmitLine|WorkDir";
    private readonly TempDirectory _dir = new("coca-behaviours-cli");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    // One job line: submitted at minute `at` of 2026-02-02, ran `elapsed`, with Slurm's energy (J) and gres/gpuutil (%, summed over GPUs).
    private static string Line(string id, string name, string user, int at, string elapsed, string state, int gpus = 1, double? energyJ = 3.6e6, int? gpuutil = 80,
        string partition = "gpu", string totalCpu = "", int cpus = 8, string submitLine = "", string raw = "")
    {
        var submit = new DateTime(2026, 2, 2, 0, 0, 0, DateTimeKind.Utc).AddMinutes(at);
        var seconds = TimeSpan.Parse(elapsed, System.Globalization.CultureInfo.InvariantCulture);
        string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var tres = gpuutil is { } u ? $"cpu=00:01:00,gres/gpuutil={u}" : "";
        return $"{id}|{(raw.Length > 0 ? raw : id)}|{name}|{user}|proj|{partition}|n1|cpu={cpus},gres/gpu={gpus}|{T(submit)}|{T(submit)}|{T(submit + seconds)}|{elapsed}|{state}|{(state == "COMPLETED" ? "0:0" : "1:0")}|" +
               $"{energyJ?.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{tres}|{totalCpu}|{cpus}|{submitLine}|/home/{user}";
    }

    private static IEnumerable<string> Planted()
    {
        yield return Line("100", "prep", "alice", 0, "00:05:00", "FAILED");                         // failed_early
        yield return Line("101", "prep2", "alice", 0, "00:05:00", "COMPLETED");                     // near miss: completed
        yield return Line("110", "longrun", "alice", 10, "05:00:00", "TIMEOUT", energyJ: 3.6e7);    // failed_late
        for (var i = 0; i < 3; i++) yield return Line($"12{i}", "crashy", "alice", 60 + 120 * i, "00:20:00", "FAILED", submitLine: $"sbatch crashy.sh --seed {i}"); // crash_loop (and failed_late)
        for (var i = 0; i < 2; i++) yield return Line($"13{i}", "crashy", "bob", 60 + 120 * i, "00:02:00", "FAILED");   // near miss: two only (each failed_early)
        for (var i = 0; i < 10; i++) yield return Line($"14{i}", "hp", "alice", 600 + 10 * i, "00:03:00", "COMPLETED", submitLine: $"sbatch hp.sh --lr 0.0{i + 1}"); // sweep
        for (var i = 0; i < 9; i++) yield return Line($"15{i}", "hp", "carol", 600 + 10 * i, "00:03:00", "COMPLETED");  // near miss: nine runs
        for (var i = 0; i < 10; i++) yield return Line($"160_{i}", "arr", "dave", 700, "00:03:00", "COMPLETED", raw: $"{1601 + i}"); // sweep: an array of ten
        yield return Line("170", "idle", "alice", 900, "01:00:00", "COMPLETED", gpus: 2, energyJ: 7.2e6, gpuutil: 0);   // zero_gpu
        yield return Line("171", "idle2", "alice", 900, "00:05:00", "COMPLETED", gpuutil: 0);                          // near miss: five minutes
        yield return Line("180", "lazy", "alice", 1000, "02:00:00", "COMPLETED", gpuutil: 10);                         // low_gpu
        yield return Line("181", "lazy2", "alice", 1000, "02:00:00", "COMPLETED", gpuutil: 20);                        // near miss: 20 %
        yield return Line("190", "notebook", "erin", 1100, "10:00:00", "COMPLETED", gpuutil: 5, partition: "interactive"); // idle_interactive
        yield return Line("200", "loader", "alice", 1200, "01:00:00", "COMPLETED", gpuutil: 30, totalCpu: "07:40:00"); // dataloader_bound (CPUs 96 % busy)
        yield return Line("201", "loader2", "alice", 1200, "01:00:00", "COMPLETED", gpuutil: 30, totalCpu: "05:00:00"); // near miss: CPUs 62 % busy
    }

    private void Import()
    {
        var dump = _dir.Combine("sacct.txt");
        File.WriteAllText(dump, Header + "\n" + string.Join("\n", Planted()) + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    [Fact]
    public void From_sacct_alone_every_planted_behaviour_is_found_and_no_near_miss_is()
    {
        Import();
        var result = CocaProcess.Run(["behaviours", "--db", Db, "--json"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var findings = result.Json.GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("kind").GetString() + ":" + string.Join(",", f.GetProperty("jobs").EnumerateArray().Select(j => j.GetString())))
            .Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "crash_loop:120,121,122", "dataloader_bound:200", "failed_early:100", "failed_early:130", "failed_early:131",
            "failed_late:110", "failed_late:120", "failed_late:121", "failed_late:122", "idle_interactive:190", "low_gpu:180",
            "sweep:140,141,142,143,144,145,146,147,148,149", "sweep:160_0,160_1,160_2,160_3,160_4,160_5,160_6,160_7,160_8,160_9", "zero_gpu:170",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), findings);
        var summary = result.Json.GetProperty("summary");
        Assert.Equal(Planted().Count(), summary.GetProperty("jobs").GetInt32());
        // crash_loop wastes jobs 121 and 122 (1 kWh each), already wasted as failed_late: counted once in the summary.
        var byKind = summary.GetProperty("by_kind");
        Assert.Equal(2.0, byKind.GetProperty("crash_loop").GetProperty("wasted_kwh").GetDouble(), 9);
        var failedKwh = 1 + 10 + 3 + 2; // 100, 110, 120–122, 130–131
        var zeroGpu = 2.0;
        var lowGpu = 0.9; // 1 kWh × (1 − 10 %)
        var idle = 0.95;
        var loader = 0.7;
        Assert.Equal(failedKwh + zeroGpu + lowGpu + idle + loader, summary.GetProperty("wasted_kwh").GetDouble(), 9);
    }

    [Fact]
    public void Kind_and_user_filters_narrow_the_answer_and_a_bad_kind_is_one_line_exit_2()
    {
        Import();
        var loops = CocaProcess.Run(["behaviours", "--db", Db, "--json", "--kind", "crash_loop,sweep", "--user", "alice"]);
        Assert.True(loops.ExitCode == 0, loops.Stderr);
        var kinds = loops.Json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).Distinct().Order().ToList();
        Assert.Equal(["crash_loop", "sweep"], kinds);
        Assert.All(loops.Json.GetProperty("findings").EnumerateArray(), f => Assert.Equal("alice", f.GetProperty("user").GetString()));
        var bad = CocaProcess.Run(["behaviours", "--db", Db, "--kind", "lazy_gpu"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.Contains("lazy_gpu", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_human_report_has_a_row_per_kind_and_each_kinds_tip()
    {
        Import();
        var text = CocaProcess.Run(["behaviours", "--db", Db]);
        Assert.True(text.ExitCode == 0, text.Stderr);
        foreach (var kind in new[] { "failed_early", "crash_loop", "sweep", "zero_gpu", "low_gpu", "idle_interactive", "dataloader_bound" })
        {
            Assert.Contains(kind, text.Stdout, StringComparison.Ordinal);
            Assert.Contains(Core.Analysis.BehaviourKind.Tip(kind)[..40], text.Stdout.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_threshold_from_the_environment_changes_what_fires()
    {
        Import();
        var env = new Dictionary<string, string> { ["COCA_BEHAVIOURS_LOW_GPU_UTILISATION"] = "0.25" };
        var result = CocaProcess.Run(["behaviours", "--db", Db, "--json", "--kind", "low_gpu"], env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(["180", "181"], result.Json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("jobs")[0].GetString()!).Order());
        var bad = CocaProcess.Run(["behaviours", "--db", Db], new Dictionary<string, string> { ["COCA_BEHAVIOURS_LOW_GPU_UTILISATION"] = "15" });
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("COCA_BEHAVIOURS_LOW_GPU_UTILISATION", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_recompute_the_studys_three_figures_with_their_counts()
    {
        Import();
        var result = CocaProcess.Run(["findings", "--db", Db, "--json"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var notCompleted = result.Json.GetProperty("not_completed");
        Assert.Equal(Planted().Count(s => !s.Contains("|COMPLETED|", StringComparison.Ordinal)), notCompleted.GetProperty("not_completed_jobs").GetInt32());
        Assert.True(notCompleted.GetProperty("share").GetDouble() is > 0 and < 1);
        Assert.Equal(JsonValueKind.Null, result.Json.GetProperty("meter_gap").GetProperty("gap_pct").ValueKind);
    }

    [Fact]
    public void A_user_who_is_not_an_admin_sees_only_their_own_findings()
    {
        var settings = CocaSettings.EnvironmentOnly(v => v == "COCA_SITE_ADMINS" ? "ops, erin" : null);
        Assert.Equal("bob", AccessScope.UserFilter(null, settings, "bob"));
        Assert.Equal("bob", AccessScope.UserFilter("bob", settings, "bob"));
        Assert.Throws<UsageException>(() => AccessScope.UserFilter("alice", settings, "bob"));
        Assert.Null(AccessScope.UserFilter(null, settings, "erin"));
        Assert.Equal("alice", AccessScope.UserFilter("alice", settings, "root"));
    }

    [Fact]
    public void With_the_runs_metrics_a_sweep_wastes_its_dominated_runs_energy_whether_filed_under_the_raw_or_the_array_id()
    {
        Import();
        // alice's ten runs (1 kWh each) by accuracy, filed under their ids; dave's array tasks by loss, under their raw ids.
        var csv = _dir.Combine("metrics.csv");
        File.WriteAllText(csv, "job_id,name,value,step\n" +
            string.Concat(Enumerable.Range(0, 10).Select(i => $"14{i},accuracy,0.{50 + i},1\n")) +
            string.Concat(Enumerable.Range(0, 10).Select(i => $"{1601 + i},val_loss,{2 + i},1\n")));
        var import = CocaProcess.Run(["metrics", "import", "--db", Db, csv]);
        Assert.True(import.ExitCode == 0, import.Stderr);

        var result = CocaProcess.Run(["behaviours", "--db", Db, "--json", "--kind", "sweep"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var sweeps = result.Json.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("user").GetString()!);
        var alice = sweeps["alice"];
        Assert.Equal(9.0, alice.GetProperty("wasted_kwh").GetDouble(), 9);
        Assert.Equal(("accuracy", "maximize", "149"), (alice.GetProperty("detail").GetProperty("metric").GetString(),
            alice.GetProperty("detail").GetProperty("direction").GetString(), alice.GetProperty("detail").GetProperty("pareto_runs").GetString()));
        var dave = sweeps["dave"];
        Assert.Equal(9.0, dave.GetProperty("wasted_kwh").GetDouble(), 9);
        Assert.Equal(("val_loss", "minimize", "160_0"), (dave.GetProperty("detail").GetProperty("metric").GetString(),
            dave.GetProperty("detail").GetProperty("direction").GetString(), dave.GetProperty("detail").GetProperty("pareto_runs").GetString()));
    }

    // A store that breaks under the read (here a column gone; a server that goes down is the same DbException) is one
    // line and exit 1, never a stack trace.
    [Fact]
    public void A_store_that_fails_during_the_read_is_one_line_and_exit_1()
    {
        Import();
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _dir.Combine("coca.db")))
        {
            db.Open();
            using var rename = db.CreateCommand();
            rename.CommandText = "ALTER TABLE jobs RENAME COLUMN tres_usage TO tres_usage_gone";
            rename.ExecuteNonQuery();
        }
        var r = CocaProcess.Run(["behaviours", "--db", Db, "--json"]);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("coca: ", line, StringComparison.Ordinal);
        Assert.Contains("tres_usage", line, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
