using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca carbon series import</c>, <c>coca carbon recompute</c> and <c>--at</c> through the built CLI, on an embedded store.</summary>
public sealed class CarbonSeriesCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-carbon-cli");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private string File(string name, string text)
    {
        var path = _dir.Combine(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private Dictionary<string, string> Site => new()
    {
        ["COCA_SITE_CARBON"] = "hourly", ["COCA_SITE_ZONE"] = "FR", ["COCA_SITE_PUE"] = "1.5", ["COCA_SITE_CARBON_INTENSITY"] = "60", ["COCA_STORE_DB"] = Db,
    };

    [Fact]
    public void An_eco2mix_import_is_idempotent_and_a_bad_line_is_reported_with_exit_1()
    {
        var path = File("eco2mix.csv", """
            perimetre;nature;date;heure;date_heure;consommation;taux_co2
            France;Données temps réel;2024-03-31;01:45;2024-03-31T01:45:00+01:00;52000;21
            France;Données temps réel;2024-03-31;03:00;2024-03-31T03:00:00+02:00;51000;20
            France;Données temps réel;2024-03-31;03:15;2024-03-31T03:15:00+02:00;51000;
            France;Données temps réel;2024-03-31;03:30;yesterday;51000;19
            """);
        var first = CocaProcess.Run(["carbon", "series", "import", path, "--format", "eco2mix", "--db", Db]);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("line 5: time 'yesterday'", first.Stderr);
        Assert.Contains("4 lines read: 2 figures new, 0 replaced, 0 unchanged (FR, direct); 1 without a figure, 1 bad lines skipped", first.Stderr);
        var second = CocaProcess.Run(["carbon", "series", "import", path, "--format", "eco2mix", "--db", Db]);
        Assert.Contains("0 figures new, 0 replaced, 2 unchanged", second.Stderr);
        Assert.Equal(2, CocaProcess.Run(["carbon", "series", "import", path, "--format", "eco2mx", "--db", Db]).ExitCode);
    }

    [Fact]
    public void Recompute_applies_the_hourly_series_to_a_stored_job_and_job_shows_method_and_embodied()
    {
        // Job 10: 2 GPUs, 10:00:30 to 12:00:30 UTC, Slurm's 7.2 MJ (2 kWh); no agent measured it.
        var sacct = File("sacct.txt", "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw\n" +
            "10|10|train|alice|proj|gpu|n1|cpu=8,gres/gpu=2|2026-02-01T10:00:00|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|7200000\n");
        Assert.Equal(0, CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", sacct]).ExitCode);
        var series = File("series.csv", """
            time,zone,g_per_kwh
            2026-02-01T09:00:00Z,FR,80
            2026-02-01T10:00:00Z,FR,100
            2026-02-01T11:00:00Z,FR,50
            2026-02-01T12:00:00Z,FR,200
            2026-02-01T13:00:00Z,FR,90
            """);
        Assert.Equal(0, CocaProcess.Run(["carbon", "series", "import", series, "--format", "csv", "--basis", "direct", "--db", Db]).ExitCode);

        var run = CocaProcess.Run(["carbon", "recompute"], Site);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1 jobs with energy: 1 figures changed; 1 hourly, 0 yearly; 1 from Slurm's energy", run.Stdout);
        Assert.Contains("0 figures changed", CocaProcess.Run(["carbon", "recompute"], Site).Stdout);

        var job = JsonDocument.Parse(CocaProcess.Run(["job", "10", "--json"], Site).Stdout).RootElement;
        // 59.5 min × 1 kWh/h at 100, 60 min at 50, 0.5 min at 200 g/kWh = 150.83 g, × PUE 1.5.
        var expected = (59.5 / 60 * 100 + 50 + 0.5 / 60 * 200) * 1.5;
        Assert.Equal(expected, job.GetProperty("emissions_g").GetDouble(), 6);
        var carbon = job.GetProperty("carbon");
        Assert.Equal(("hourly", "FR", "direct", 1.0, "uniform", "slurm"), (carbon.GetProperty("method").GetString(), carbon.GetProperty("zone").GetString(),
            carbon.GetProperty("basis").GetString(), carbon.GetProperty("series_coverage").GetDouble(), carbon.GetProperty("timeline").GetString(), carbon.GetProperty("energy").GetString()));
        // 150 kg × 4 GPU-h + 2500 kg × 2 node-h × 2/8, over 6 × 8766 h.
        var embodied = (150.0 * 4 + 2500.0 * 2 * 2 / 8) / (6 * 8766) * 1000;
        Assert.Equal(embodied, job.GetProperty("embodied_g").GetDouble(), 6);
        Assert.Equal(expected + embodied, job.GetProperty("emissions_and_embodied_g").GetDouble(), 6);
        Assert.Contains("embodied:", CocaProcess.Run(["job", "10"], Site).Stdout);

        var user = JsonDocument.Parse(CocaProcess.Run(["users", "--json"], Site).Stdout).RootElement.GetProperty("users")[0];
        Assert.Equal(embodied, user.GetProperty("embodied_g").GetDouble(), 6);

        var summary = CocaProcess.Run(["jobs", "--summary"], Site).Stdout;
        Assert.Contains("operational: none measured", summary);
        Assert.Contains("embodied", summary);

        var at = JsonDocument.Parse(CocaProcess.Run(["carbon", "--kwh", "2", "--at", "2026-02-01T11:30:00Z", "--json"], Site).Stdout).RootElement;
        Assert.Equal(50, at.GetProperty("carbon_intensity_g_per_kwh").GetDouble());
    }

    [Fact]
    public void Hourly_without_a_zone_or_with_an_unknown_mode_is_a_usage_error()
    {
        Assert.Equal(2, CocaProcess.Run(["carbon", "recompute", "--db", Db], new Dictionary<string, string> { ["COCA_SITE_CARBON"] = "hourly" }).ExitCode);
        Assert.Equal(2, CocaProcess.Run(["carbon", "recompute", "--db", Db], new Dictionary<string, string> { ["COCA_SITE_CARBON"] = "weekly" }).ExitCode);
    }

    public void Dispose() => _dir.Dispose();
}
