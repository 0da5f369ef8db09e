using System.Globalization;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca motd</c> and <c>coca feedback</c> on a store filled from a sacct dump dated around now.</summary>
public sealed class MotdCommandTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|TRESUsageInTot|TotalCPU|AllocCPUS|SubmitLine|WorkDir";
    private readonly TempDirectory _dir = new("coca-motd-cli");
    private readonly DateTime _now = DateTime.UtcNow;

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private string Line(string id, string user, double daysAgo, string elapsed, string state, double energyJ, int gpuutil)
    {
        var submit = _now.AddDays(-daysAgo);
        var seconds = TimeSpan.Parse(elapsed, CultureInfo.InvariantCulture);
        string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        return $"{id}|{id}|job{id}|{user}|proj|gpu|node{id[^1]}|cpu=8,gres/gpu=1|{T(submit)}|{T(submit)}|{T(submit + seconds)}|{elapsed}|{state}|0:0|" +
               $"{energyJ.ToString(CultureInfo.InvariantCulture)}|cpu=00:01:00,gres/gpuutil={gpuutil}|01:00:00|8||/home/{user}";
    }

    private void Import(params string[] lines)
    {
        var dump = _dir.Combine("sacct.txt");
        File.WriteAllText(dump, Header + "\n" + string.Join("\n", lines) + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private void Alice()
    {
        // Seven jobs of alice's, 1 kWh each, two in the last week; job 306 held its GPU at 0 % for an hour (zero_gpu). One of bob's.
        Import(
            Line("301", "alice", 30, "01:00:00", "COMPLETED", 3.6e6, 80), Line("302", "alice", 25, "01:00:00", "COMPLETED", 3.6e6, 80),
            Line("303", "alice", 20, "01:00:00", "COMPLETED", 3.6e6, 80), Line("304", "alice", 15, "01:00:00", "COMPLETED", 3.6e6, 80),
            Line("305", "alice", 10, "01:00:00", "COMPLETED", 3.6e6, 80), Line("306", "alice", 3, "01:00:00", "COMPLETED", 3.6e6, 0),
            Line("307", "alice", 1, "01:00:00", "COMPLETED", 3.6e6, 80), Line("401", "bob", 1, "01:00:00", "COMPLETED", 3.6e6, 80));
    }

    [Fact]
    public void The_banner_shows_the_five_newest_jobs_the_week_against_the_four_before_and_the_costliest_behaviours_tip()
    {
        Alice();
        var result = CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.InRange(lines.Length, 3, 12);
        Assert.All(lines, l => Assert.True(l.Length <= 100, l));
        var jobs = lines.Where(l => l.StartsWith("  node", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(["307", "306", "305", "304", "303"], jobs);
        Assert.Contains(lines, l => l.StartsWith("Last 7 days: 2 kWh (Slurm) over 2 job(s); the four weeks before: 1.25 kWh (Slurm) a week (+60%).", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Tip (zero_gpu: 1 finding(s) in four weeks, 1 kWh avoidable): The job held GPUs", StringComparison.Ordinal));
        Assert.DoesNotContain("401", result.Stdout);
        var nobody = CocaProcess.Run(["motd", "--db", Db, "--user", "zoe"]);
        Assert.Equal((0, ""), (nobody.ExitCode, nobody.Stdout));
    }

    [Fact]
    public void The_login_edition_coca_motd_is_the_banner_alone_and_prints_what_coca_motd_prints()
    {
        Alice();
        using var artifacts = new TempDirectory("coca-login-edition");
        var output = EditionBuild.Build("login", artifacts.Path);
        var banner = Path.Combine(output, "coca-motd.dll");
        Assert.True(File.Exists(banner), $"no coca-motd.dll in {output}");

        var expected = CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]);
        Assert.True(expected.ExitCode == 0, expected.Stderr);
        var login = EditionBuild.Run("dotnet", [banner, "--db", Db, "--user", "alice"], 60);
        Assert.Equal((0, expected.Stdout), login);
        Assert.Contains("Tip (zero_gpu", login.Output, StringComparison.Ordinal);

        // Its root is the banner: the banner's options, no subcommands (`coca motd jobs` would be an error, not a listing).
        var help = EditionBuild.Run("dotnet", [banner, "--help"], 60);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("The login banner", help.Output, StringComparison.Ordinal);
        Assert.Contains("--user", help.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Commands:", help.Output, StringComparison.Ordinal);
        var silent = EditionBuild.Run("dotnet", [banner, "--db", "sqlite:" + _dir.Combine("absent", "nowhere.db")], 60);
        Assert.Equal((0, ""), silent);
    }

    [Fact]
    public void The_banner_is_silent_and_exits_0_when_the_store_cannot_be_read()
    {
        var result = CocaProcess.Run(["motd", "--db", "sqlite:" + _dir.Combine("absent", "nowhere.db")]);
        Assert.Equal((0, "", ""), (result.ExitCode, result.Stdout, result.Stderr));
        var postgres = CocaProcess.Run(["motd", "--db", "postgres://coca:x@127.0.0.1:1/none"]);
        Assert.Equal((0, "", ""), (postgres.ExitCode, postgres.Stdout, postgres.Stderr));
    }

    [Fact]
    public void A_shown_tip_is_logged_once_a_day_and_a_user_who_opted_out_gets_no_tip()
    {
        Alice();
        Assert.Equal(0, CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]).ExitCode);
        Assert.Equal(0, CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]).ExitCode);
        var log = CocaProcess.Run(["feedback", "log", "--db", Db, "--json"]);
        Assert.True(log.ExitCode == 0, log.Stderr);
        var delivery = Assert.Single(log.Json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("alice", "motd", "tip", "zero_gpu"), (delivery.GetProperty("user").GetString(), delivery.GetProperty("channel").GetString(),
            delivery.GetProperty("kind").GetString(), delivery.GetProperty("findings")[0].GetString()));

        var optOut = CocaProcess.Run(["feedback", "opt-out", "alice", "--db", Db]);
        Assert.Equal((0, "alice opted out of digests and tips\n"), (optOut.ExitCode, optOut.Stdout));
        var banner = CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]);
        Assert.Contains("307", banner.Stdout);
        Assert.DoesNotContain("Tip", banner.Stdout);
        Assert.Equal("alice opted in again\n", CocaProcess.Run(["feedback", "opt-in", "alice", "--db", Db]).Stdout);
        Assert.Contains("Tip (zero_gpu", CocaProcess.Run(["motd", "--db", Db, "--user", "alice"]).Stdout);
    }

    [Fact]
    public void The_motd_channel_turned_off_prints_nothing()
    {
        Alice();
        var result = CocaProcess.Run(["motd", "--db", Db, "--user", "alice"], new Dictionary<string, string> { ["COCA_FEEDBACK_CHANNELS"] = "digest" });
        Assert.Equal((0, ""), (result.ExitCode, result.Stdout));
    }

    public void Dispose() => _dir.Dispose();
}
