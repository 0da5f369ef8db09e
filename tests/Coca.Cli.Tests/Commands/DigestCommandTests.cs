using System.Globalization;
using Coca.TestSupport;
using MimeKit;

namespace Coca.Cli.Tests.Commands;

/// <summary>
/// <c>coca digest</c> to a real SMTP server (Debian's aiosmtpd, unprivileged on a free port, delivering into a maildir)
/// and into a folder: content, throttling, opt-outs, the control arm, and the log.
/// </summary>
public sealed class DigestCommandTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|TRESUsageInTot|TotalCPU|AllocCPUS|SubmitLine|WorkDir";
    private static readonly DateTime Monday = new(2026, 2, 23, 0, 0, 0, DateTimeKind.Utc); // 2026-W09
    private readonly TempDirectory _dir = new("coca-digest-cli");
    private readonly Dictionary<string, string> _env = new() { ["COCA_FEEDBACK_EMAIL_DOMAIN"] = "example.org" };
    private int _id = 500;

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private string Line(string user, double day, int gpuutil, double kwh = 1.0)
    {
        var id = _id++;
        var submit = Monday.AddDays(day);
        string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        return $"{id}|{id}|train|{user}|proj|gpu|n1|cpu=8,gres/gpu=1|{T(submit)}|{T(submit)}|{T(submit.AddHours(1))}|01:00:00|COMPLETED|0:0|" +
               $"{(kwh * 3.6e6).ToString(CultureInfo.InvariantCulture)}|cpu=00:01:00,gres/gpuutil={gpuutil}|01:00:00|8||/home/{user}";
    }

    private void Import(params string[] lines)
    {
        var dump = _dir.Combine($"sacct{_id}.txt");
        File.WriteAllText(dump, Header + "\n" + string.Join("\n", lines) + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private CocaProcess.Result Coca(params string[] args) => CocaProcess.Run(args, _env);

    [Fact]
    public void Digests_reach_a_real_smtp_server_with_totals_plot_and_tips_once_per_min_days_and_never_to_who_opted_out()
    {
        Import(Line("alice", 0.5, 80, 2.0), Line("alice", 2.5, 0), Line("bob", 1.5, 80), Line("carol", 1.5, 80), Line("dave", 8.5, 80));
        Assert.Equal(0, Coca("feedback", "opt-out", "carol", "--db", Db).ExitCode);
        using var smtp = new SmtpDaemon(_dir.Combine("maildir"));

        var first = Coca("digest", "--week", "2026-W09", "--smtp", $"127.0.0.1:{smtp.Port}", "--from", "coca@site.example", "--db", Db, "--json");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(["alice", "bob"], first.Json.GetProperty("sent").EnumerateArray().Select(s => s.GetProperty("user").GetString()));
        Assert.Equal([("carol", "opted out")], first.Json.GetProperty("skipped").EnumerateArray().Select(s => (s.GetProperty("user").GetString(), s.GetProperty("reason").GetString())));

        var messages = smtp.Messages();
        Assert.Equal(2, messages.Count);
        var alice = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == "alice@example.org");
        Assert.Equal("Coca4ai: your GPU jobs 2026-02-23 to 2026-03-01", alice.Subject);
        Assert.Equal("coca@site.example", alice.From.Mailboxes.Single().Address);
        Assert.Contains("you ran 2 job(s): 3 kWh (Slurm's figure)", alice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Mon 2026-02-23  2 kWh", alice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Tue 2026-02-24  -", alice.TextBody, StringComparison.Ordinal);
        Assert.Contains("* zero_gpu: 1 finding(s) over 1 job(s), 1 kWh avoidable", alice.TextBody, StringComparison.Ordinal);
        var plot = Assert.Single(alice.BodyParts.OfType<MimePart>(), p => p.ContentType.MimeType.StartsWith("image/", StringComparison.Ordinal));
        Assert.Equal("image/png", plot.ContentType.MimeType); // most mail clients show no SVG
        Assert.Contains($"<img src=\"cid:{plot.ContentId}\"", alice.HtmlBody, StringComparison.Ordinal);
        using var bytes = new MemoryStream();
        plot.Content!.DecodeTo(bytes);
        var png = new PngImage(bytes.ToArray());
        Assert.Equal((420, 160), (png.Width, png.Height));
        Assert.True(png.PixelsNear("#2a7ab0") > 200, "no bar drawn for the day with 2 kWh");
        Assert.DoesNotContain(alice.BodyParts, p => p.ContentType.MimeType.Contains("svg", StringComparison.Ordinal));
        var bob = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == "bob@example.org");
        Assert.Contains("No energy-wasting behaviour was found", bob.TextBody, StringComparison.Ordinal);

        var again = Coca("digest", "--week", "2026-W09", "--smtp", $"127.0.0.1:{smtp.Port}", "--from", "coca@site.example", "--db", Db, "--json");
        Assert.Empty(again.Json.GetProperty("sent").EnumerateArray());
        Assert.All(again.Json.GetProperty("skipped").EnumerateArray().Where(s => s.GetProperty("user").GetString() != "carol"),
            s => Assert.Contains("under min_days", s.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, smtp.Messages().Count);

        var log = Coca("feedback", "log", "--db", Db, "--json").Json.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(2, log.Count);
        var logged = Assert.Single(log, d => d.GetProperty("user").GetString() == "alice");
        Assert.Equal(("digest", "2026-02-23..2026-03-02", "zero_gpu", "alice@example.org"), (logged.GetProperty("channel").GetString(), logged.GetProperty("period").GetString(),
            logged.GetProperty("findings")[0].GetString(), logged.GetProperty("target").GetString()));

        _env["COCA_FEEDBACK_MIN_DAYS"] = "0";
        Assert.Equal(0, Coca("digest", "--week", "2026-W09", "--smtp", $"127.0.0.1:{smtp.Port}", "--from", "coca@site.example", "--db", Db).ExitCode);
        Assert.Equal(4, smtp.Messages().Count);
    }

    [Fact]
    public void Into_a_folder_control_users_and_users_without_an_address_get_none_and_a_dead_server_is_one_line()
    {
        var users = Enumerable.Range(0, 6).Select(i => $"user{i}").ToList();
        Import([.. users.Select(u => Line(u, -10, 80)), .. users.Select(u => Line(u, 1, 80))]);
        Assert.Equal(0, Coca("experiment", "create", "spring", "--start", "2026-02-20", "--db", Db).ExitCode);
        var arms = Coca("experiment", "arms", "spring", "--db", Db).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        File.WriteAllText(_dir.Combine("users.csv"), "# user,email\nuser0,zero@lab.example\nnot a line\n");
        _env.Remove("COCA_FEEDBACK_EMAIL_DOMAIN");
        _env["COCA_FEEDBACK_USERS_FILE"] = _dir.Combine("users.csv");

        var result = Coca("digest", "--since", "2026-02-23", "--until", "2026-03-02", "--to-dir", _dir.Combine("out"), "--db", Db, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var skipped = result.Json.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("user").GetString()!, s => s.GetProperty("reason").GetString()!);
        foreach (var u in users)
        {
            var expected = arms[u] == "control" ? "control arm of spring" : u == "user0" ? null : "no address ([feedback] users_file or email_domain)";
            Assert.Equal(expected, skipped.GetValueOrDefault(u));
        }
        var files = Directory.Exists(_dir.Combine("out")) ? Directory.GetFiles(_dir.Combine("out")) : [];
        Assert.Equal(arms["user0"] == "feedback" ? ["user0-2026-02-23.eml"] : [], files.Select(Path.GetFileName));
        foreach (var f in files) Assert.Equal("zero@lab.example", MimeMessage.Load(f).To.Mailboxes.Single().Address);

        var dead = Coca("digest", "--week", "2026-W09", "--smtp", "127.0.0.1:1", "--from", "coca@site.example", "--db", Db);
        if (arms["user0"] == "feedback") Assert.Equal(0, dead.ExitCode); // user0 is throttled now; nobody else has an address
        var bad = Coca("digest", "--week", "2026-W60", "--to-dir", _dir.Combine("out"), "--db", Db);
        Assert.Equal((2, "coca: --week '2026-W60' is not an ISO week, YYYY-Www (e.g. 2026-W09)\n"), (bad.ExitCode, bad.Stderr));
        Assert.Equal(2, Coca("digest", "--week", "2026-W09", "--db", Db).ExitCode);
    }

    [Fact]
    public void With_public_url_set_the_digest_links_to_the_users_jobs_page_in_text_and_html_and_not_without()
    {
        Import(Line("alice", 1, 80), Line("bob", 1, 80));
        var without = Coca("digest", "--week", "2026-W09", "--to-dir", _dir.Combine("plain"), "--db", Db);
        Assert.True(without.ExitCode == 0, without.Stderr);
        var plain = MimeMessage.Load(_dir.Combine("plain", "alice-2026-02-23.eml"));
        Assert.DoesNotContain("/jobs?", plain.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href", plain.HtmlBody, StringComparison.Ordinal);

        _env["COCA_SERVER_PUBLIC_URL"] = "https://coca.lab.example/";
        _env["COCA_FEEDBACK_MIN_DAYS"] = "0";
        var linked = Coca("digest", "--week", "2026-W09", "--to-dir", _dir.Combine("linked"), "--db", Db);
        Assert.True(linked.ExitCode == 0, linked.Stderr);
        var alice = MimeMessage.Load(_dir.Combine("linked", "alice-2026-02-23.eml"));
        const string url = "https://coca.lab.example/jobs?user=alice&since=2026-02-23&until=2026-03-02";
        Assert.Contains("Your jobs: " + url, alice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{url.Replace("&", "&amp;", StringComparison.Ordinal)}\">Your jobs</a>", alice.HtmlBody, StringComparison.Ordinal);

        _env["COCA_SERVER_PUBLIC_URL"] = "coca.lab.example";
        var bad = Coca("digest", "--week", "2026-W09", "--to-dir", _dir.Combine("bad"), "--db", Db);
        Assert.Equal((2, "coca: [server] public_url 'coca.lab.example' is not an absolute http(s) URL without a query (e.g. https://coca.example.org)\n"), (bad.ExitCode, bad.Stderr));
    }

    [Fact]
    public void An_smtp_server_that_is_not_there_is_one_line_exit_1()
    {
        Import(Line("alice", 1, 80));
        var result = Coca("digest", "--week", "2026-W09", "--smtp", $"127.0.0.1:{FreePort()}", "--from", "coca@site.example", "--db", Db);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("coca: SMTP 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Empty(Coca("feedback", "log", "--db", Db, "--json").Json.GetProperty("deliveries").EnumerateArray());
    }

    private static int FreePort() => SmtpDaemon.FreePort();

    public void Dispose() => _dir.Dispose();
}
