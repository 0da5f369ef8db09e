using System.Globalization;
using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca experiment create|arms</c> and <c>coca receptiveness</c> on a store of 20 users, before and after a start.</summary>
public sealed class ExperimentCommandsTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|TRESUsageInTot|TotalCPU|AllocCPUS|SubmitLine|WorkDir";
    private static readonly DateTime Start = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _dir = new("coca-experiment-cli");
    private readonly List<string> _users = [.. Enumerable.Range(0, 20).Select(i => $"user{i:D2}")];
    private int _id = 1000;

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private string Line(string user, DateTime submit, double kwh)
    {
        var id = _id++;
        string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        return $"{id}|{id}|train|{user}|proj|gpu|n1|cpu=8,gres/gpu=1|{T(submit)}|{T(submit)}|{T(submit.AddHours(1))}|01:00:00|COMPLETED|0:0|" +
               $"{(kwh * 3.6e6).ToString(CultureInfo.InvariantCulture)}|cpu=00:01:00,gres/gpuutil=80|01:00:00|8||/home/{user}";
    }

    private void Import(IEnumerable<string> lines)
    {
        var dump = _dir.Combine($"sacct{_id}.txt");
        File.WriteAllText(dump, Header + "\n" + string.Join("\n", lines) + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private Dictionary<string, string> Arms()
    {
        var arms = CocaProcess.Run(["experiment", "arms", "spring", "--db", Db]);
        Assert.True(arms.ExitCode == 0, arms.Stderr);
        return arms.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
    }

    [Fact]
    public void Users_active_before_the_start_are_split_in_half_by_energy_and_a_name_is_taken_once()
    {
        // Users with more energy ran more jobs: 1 to 4 jobs of 1 kWh.
        Import(_users.SelectMany((u, i) => Enumerable.Range(0, 1 + i % 4).Select(k => Line(u, Start.AddDays(-10 - k), 1.0))));
        Import([Line("olduser", Start.AddDays(-60), 1.0)]); // not active in the 8 weeks before
        var create = CocaProcess.Run(["experiment", "create", "spring", "--start", "2026-03-02", "--seed", "7", "--stratify-by", "energy", "--db", Db]);
        Assert.True(create.ExitCode == 0, create.Stderr);
        Assert.Equal("experiment spring from 2026-03-02: 10 user(s) get feedback, 10 are the control (seed 7)\n", create.Stdout);
        var arms = Arms();
        Assert.Equal(_users, arms.Keys.Order(StringComparer.Ordinal));
        var again = CocaProcess.Run(["experiment", "create", "spring", "--start", "2026-03-09", "--db", Db]);
        Assert.Equal((1, "coca: an experiment named 'spring' exists already\n"), (again.ExitCode, again.Stderr));
        var share = CocaProcess.Run(["experiment", "create", "other", "--start", "2026-03-02", "--control-share", "1", "--db", Db]);
        Assert.Equal(2, share.ExitCode);
    }

    [Fact]
    public void A_planted_halving_in_the_feedback_arm_is_a_difference_in_differences_of_minus_half_a_kwh_per_gpu_hour()
    {
        Import(_users.Select(u => Line(u, Start.AddDays(-10), 1.0)));
        Assert.Equal(0, CocaProcess.Run(["experiment", "create", "spring", "--start", "2026-03-02", "--db", Db]).ExitCode);
        var arms = Arms();
        Import(_users.Select(u => Line(u, Start.AddDays(10), arms[u] == "feedback" ? 0.5 : 1.0)));

        var result = CocaProcess.Run(["receptiveness", "spring", "--db", Db, "--json", "--before", "2026-02-01..2026-03-02", "--after", "2026-03-02..2026-04-01"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("spring", result.Json.GetProperty("experiment").GetString());
        var feedback = result.Json.GetProperty("groups").GetProperty("feedback");
        Assert.Equal((10, 10, 10), (feedback.GetProperty("users").GetInt32(), feedback.GetProperty("active_before").GetInt32(), feedback.GetProperty("active_after").GetInt32()));
        Assert.Equal(0.5, feedback.GetProperty("after").GetProperty("kwh_per_gpu_hour").GetDouble(), 9);
        var effects = result.Json.GetProperty("effects");
        Assert.Equal(["kwh_per_gpu_hour", "not_completed_energy_share", "zero_gpu_hour_share", "wasted_kwh_per_gpu_hour"], effects.EnumerateObject().Select(p => p.Name));
        var effect = effects.GetProperty("kwh_per_gpu_hour");
        Assert.Equal(-0.5, effect.GetProperty("did").GetDouble(), 9);
        Assert.Equal([-0.5, -0.5], effect.GetProperty("ci95").EnumerateArray().Select(x => Math.Round(x.GetDouble(), 9)));

        var table = CocaProcess.Run(["receptiveness", "spring", "--db", Db]);
        Assert.Contains("kwh_per_gpu_hour", table.Stdout);
        Assert.Equal(2, CocaProcess.Run(["receptiveness", "spring", "--db", Db, "--before", "2026-03-02"]).ExitCode);
        Assert.Equal(1, CocaProcess.Run(["receptiveness", "autumn", "--db", Db]).ExitCode);
    }

    [Fact]
    public void A_control_user_gets_no_tip_in_the_banner_after_the_start()
    {
        var now = DateTime.UtcNow;
        Import(_users.Select(u => Line(u, now.AddDays(-2), 1.0)).Concat(_users.Select(u => Line(u, now.AddDays(-1), 1.0).Replace("gpuutil=80", "gpuutil=0"))));
        var create = CocaProcess.Run(["experiment", "create", "spring", "--start", now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), "--db", Db]);
        Assert.True(create.ExitCode == 0, create.Stderr);
        foreach (var (user, arm) in Arms().Take(6))
        {
            var motd = CocaProcess.Run(["motd", "--db", Db, "--user", user]);
            Assert.Equal(arm == "feedback", motd.Stdout.Contains("Tip (zero_gpu", StringComparison.Ordinal));
        }
        var log = CocaProcess.Run(["feedback", "log", "--db", Db, "--json"]).Json.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.All(log, d => Assert.Equal(("spring", "feedback"), (d.GetProperty("experiment").GetString(), d.GetProperty("arm").GetString())));
        Assert.NotEmpty(log);
    }

    public void Dispose() => _dir.Dispose();
}
