using Coca.Slurm.Accounting;
using Xunit.Abstractions;

namespace Coca.Slurm.Tests.Corpus;

/// <summary>
/// The malformed-sacct corpus: each bad line, put among good ones, is reported and skipped; the parser never throws
/// and every good job comes out with its figures.
/// </summary>
public sealed class SacctCorpusTests(ITestOutputHelper output)
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw";
    private const string Times = "2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T01:00:00";

    private static readonly string[] Good =
    [
        $"10|10|a|alice|p|gpu|n1|cpu=8,gres/gpu=2|{Times}|01:00:00|COMPLETED|0:0|3600",
        $"10.batch|10.batch|batch|||gpu|n1|cpu=8|{Times}|01:00:00|COMPLETED|0:0|3600",
        $"11_2|12|b|bob|p|cpu|n2|cpu=4|{Times}|01:00:00|FAILED|1:0|",
        $"13+0|13|c|carol|p|gpu|n3|gres/gpu:a100=1|{Times}|01:00:00|TIMEOUT|0:0|100.5",
    ];

    private static string Line(string jobId = "99", string raw = "99", string name = "x", string alloc = "cpu=1", string submit = "2026-01-01T00:00:00",
        string elapsed = "01:00:00", string energy = "1") =>
        $"{jobId}|{raw}|{name}|u|p|q|n1|{alloc}|{submit}|2026-01-01T00:00:00|2026-01-01T01:00:00|{elapsed}|COMPLETED|0:0|{energy}";

    public static IEnumerable<(string Name, string Line)> BadLines() =>
    [
        ("too few fields", "14|14|short"),
        ("too many fields", Line() + "|extra|more"),
        ("only delimiters", new string('|', 14)),
        ("empty job id", Line(jobId: "", raw: "")),
        ("letters for an id", Line(jobId: "abc", raw: "abc")),
        ("path traversal id", Line(jobId: "../escaped", raw: "../escaped")),
        ("NUL in the id", Line(jobId: "9\09", raw: "99")),
        ("1 MB id", Line(jobId: new string('1', 1 << 20), raw: "99")),
        ("11-digit id", Line(jobId: "99999999999", raw: "99999999999")),
        ("negative id", Line(jobId: "-1", raw: "-1")),
        ("dangling underscore", Line(jobId: "99_", raw: "99")),
        ("dangling plus", Line(jobId: "99+", raw: "99")),
        ("double dot step", Line(jobId: "99..0", raw: "99")),
        ("bad raw id", Line(raw: "../x")),
        ("energy NaN", Line(energy: "NaN")),
        ("energy Infinity", Line(energy: "Infinity")),
        ("energy -Infinity", Line(energy: "-Infinity")),
        ("energy 1e309", Line(energy: "1e309")),
        ("energy negative", Line(energy: "-5")),
        ("energy with unit", Line(energy: "12J")),
        ("energy hex", Line(energy: "0x10")),
        ("submit a word", Line(submit: "yesterday")),
        ("submit month 13", Line(submit: "2026-13-45T00:00:00")),
        ("submit with a space", Line(submit: "2026-01-01 00:00:00")),
        ("elapsed a word", Line(elapsed: "soon")),
        ("elapsed overflowing days", Line(elapsed: "99999999999999-00:00:00")),
        ("elapsed four parts", Line(elapsed: "1:2:3:4")),
        ("elapsed negative", Line(elapsed: "-1:00:00")),
        ("elapsed a million years", Line(elapsed: "400000000-00:00:00")),
        ("escape character in the name", Line(name: "evil\u001b[2J")),
        ("NUL in the name", Line(name: "a\0b")),
    ];

    [Fact]
    public void Every_malformed_sacct_line_is_skipped_alone_and_every_good_job_kept()
    {
        var expected = SacctParser.Parse(new StringReader(string.Join('\n', [Header, .. Good])), "|", TimeZoneInfo.Utc).Jobs;
        Assert.Equal(3, expected.Count);
        int crashes = 0, reported = 0, lost = 0;
        var silent = new List<string>();
        foreach (var (name, bad) in BadLines())
        {
            var text = string.Join('\n', [Header, Good[0], bad, .. Good[1..]]);
            SacctParser.Result result;
            try
            {
                result = SacctParser.Parse(new StringReader(text), "|", TimeZoneInfo.Utc);
            }
            catch (Exception e)
            {
                crashes++;
                silent.Add($"{name}: {e.GetType().Name}");
                continue;
            }
            if (result.Problems.Count == 1 && result.Problems[0].StartsWith("line 3:", StringComparison.Ordinal) && result.Problems[0].Length < 300) reported++;
            else silent.Add($"{name}: {result.Problems.Count} problems");
            lost += expected.Count(e => !result.Jobs.Contains(e));
            Assert.DoesNotContain(result.Jobs, j => j.JobIdRaw == "99" || (j.SlurmEnergyJ is { } x && !double.IsFinite(x)));
        }
        output.WriteLine($"sacct corpus: {BadLines().Count()} malformed lines, {reported} reported and skipped, {crashes} crashes, {lost} good records lost");
        Assert.True(BadLines().Count() >= 30);
        Assert.Empty(silent);
        Assert.Equal((0, 0), (crashes, lost));
    }
}
