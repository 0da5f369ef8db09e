using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Core.Ingest;
using Coca.Core.Jobs;
using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>coca metrics import and coca tradeoff on a planted sweep whose front was computed by hand.</summary>
public sealed class TradeoffCommandTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("coca-tradeoff");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    // Energy (kWh) and best accuracy: 1 (1.0, 0.80) front; 2 (2.0, 0.78) dominated; 3 (2.5, 0.86) front;
    // 4 (3.0, 0.86) dominated; 5 (6.0, 0.90) front, best; 6 (5.0, accuracy never logged); 7 (no energy, 0.95).
    private static readonly (string Id, double? Kwh)[] Runs = [("1", 1.0), ("2", 2.0), ("3", 2.5), ("4", 3.0), ("5", 6.0), ("6", 5.0), ("7", null)];

    private const string Export = """
        job_id,name,value,step,time
        1,accuracy,0.70
        1,accuracy,0.80
        2,accuracy,0.78,0,2026-03-01T09:00:00Z
        3,accuracy,0.86
        4,accuracy,0.86
        5,accuracy,0.88
        5,accuracy,0.90
        5,accuracy,oops
        ../5,accuracy,0.99
        7,accuracy,0.95
        3,loss,0.2
        """;

    public TradeoffCommandTests()
    {
        using var store = JobStores.Open(Db);
        store.Migrate();
        store.UpsertAccounting(Runs.Select(r => new AccountingJob
        {
            JobIdRaw = r.Id, JobId = r.Id, User = "alice", Name = "sweep", SubmitLine = $"sbatch --lr=0.{r.Id} train.sh", WorkDir = "/home/alice/p",
            Comment = "project=vision", Nodes = "n1", State = "COMPLETED", Submit = T0, Start = T0, End = T0.AddHours(1), ElapsedS = 3600,
        }).ToList());
        store.UpsertMeasurements(Runs.Where(r => r.Kwh is not null).Select(r => new JobMeasurement
        {
            JobIdRaw = r.Id, Node = "n1", User = "alice", EnergyOnWire = [0, 0, (long)(r.Kwh!.Value * 3.6e12), 0],
            ProvenanceOnWire = ["none", "none", "measured", "none"], AsOf = T0.AddHours(1), Final = true,
        }).ToList());
        File.WriteAllText(_dir.Combine("export.csv"), Export);
    }

    private CocaProcess.Result Coca(params string[] args) => CocaProcess.Run([.. args, "--db", Db]);

    [Fact]
    public void Import_keeps_good_lines_and_tradeoff_finds_the_hand_computed_front()
    {
        var import = Coca("metrics", "import", _dir.Combine("export.csv"));
        Assert.Equal(1, import.ExitCode); // two bad lines, reported and skipped
        Assert.Equal(2, import.Stderr.Split('\n').Count(l => l.StartsWith("coca metrics import: ", StringComparison.Ordinal)));
        Assert.Contains("export.csv:9:", import.Stderr, StringComparison.Ordinal);
        Assert.Contains("export.csv:10:", import.Stderr, StringComparison.Ordinal);
        Assert.Contains("9 points of 6 jobs: 9 written, 0 unchanged", import.Stderr, StringComparison.Ordinal);
        Assert.Contains("9 points of 6 jobs: 0 written, 9 unchanged", Coca("metrics", "import", _dir.Combine("export.csv")).Stderr, StringComparison.Ordinal);

        var fingerprint = JobFingerprint.Format(JobFingerprint.Of("sweep", "sbatch --lr=0.1 train.sh", "/home/alice/p"));
        foreach (var selection in new[] { new[] { "--sweep", fingerprint }, ["--project", "vision"], ["--jobs", "1,2,3,4,5,6,7"] })
        {
            var r = Coca(["tradeoff", .. selection, "--metric", "accuracy", "--json", "--plot", _dir.Combine("front.svg")]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var json = JsonDocument.Parse(r.Stdout).RootElement;
            Assert.Equal("accuracy", json.GetProperty("metric").GetString());
            Assert.Equal(["1", "3", "5"], json.GetProperty("pareto").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("5", json.GetProperty("best").GetString());
            var points = json.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => (p.GetProperty("energy_kwh").GetDouble(), p.GetProperty("value").GetDouble()));
            Assert.Equal(["1", "2", "3", "4", "5"], points.Keys.Order());
            Assert.Equal((6.0, 0.90), points["5"]);
            var m = json.GetProperty("marginal");
            Assert.Equal(("3", "5"), (m.GetProperty("from").GetString(), m.GetProperty("to").GetString()));
            Assert.Equal(0.04, m.GetProperty("delta_value").GetDouble(), 9);
            Assert.Equal(3.5, m.GetProperty("delta_kwh").GetDouble(), 9);
            Assert.Equal(3.5 / 14.5, m.GetProperty("share_of_energy").GetDouble(), 9);
            Assert.Equal(5.0, json.GetProperty("dominated_kwh").GetDouble(), 9);
            Assert.Equal(["7"], json.GetProperty("without_energy").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["6"], json.GetProperty("without_value").EnumerateArray().Select(e => e.GetString()));
        }

        var svg = File.ReadAllText(_dir.Combine("front.svg"));
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("energy (kWh)", svg, StringComparison.Ordinal);
        Assert.Contains("<polyline", svg, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(svg); // well-formed
    }

    [Fact]
    public void Plot_to_a_png_is_the_same_figure_axes_points_the_front_in_red_and_the_best_ringed()
    {
        Coca("metrics", "import", _dir.Combine("export.csv"));
        var r = Coca("tradeoff", "--jobs", "1,2,3,4,5", "--metric", "accuracy", "--plot", _dir.Combine("front.png"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var png = new PngImage(File.ReadAllBytes(_dir.Combine("front.png")));
        Assert.Equal((720, 480), (png.Width, png.Height));
        Assert.InRange(png.Drawn, 0.02, 0.6);
        Assert.True(png.PixelsNear("#d62728") > 300, "the Pareto front is not drawn in red");
        Assert.True(png.PixelsNear("#808080") > 40, "the dominated runs are not drawn in grey");
    }

    [Fact]
    public void Minimizing_reads_each_jobs_lowest_value()
    {
        Coca("metrics", "import", _dir.Combine("export.csv"));
        var r = Coca("tradeoff", "--jobs", "1,5", "--metric", "accuracy", "--minimize");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("* best", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n1 +1 +0\.7 +\* best", r.Stdout);
    }

    [Theory]
    [InlineData("tradeoff --metric accuracy")]
    [InlineData("tradeoff --jobs 1 --project vision --metric accuracy")]
    [InlineData("tradeoff --jobs ../1 --metric accuracy")]
    [InlineData("tradeoff --sweep xyz --metric accuracy")]
    [InlineData("tradeoff --jobs 1 --metric bad/name!")]
    [InlineData("tradeoff --jobs 1 --metric acc --maximize --minimize")]
    [InlineData("tradeoff --jobs 1 --metric acc --plot front.gif")]
    [InlineData("metrics import /nonexistent.csv")]
    public void Bad_arguments_are_one_line_usage_errors(string args)
    {
        var r = Coca(args.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    public void Dispose() => _dir.Dispose();
}
