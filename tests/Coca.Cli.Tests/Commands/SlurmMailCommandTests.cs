using System.Diagnostics;
using System.Globalization;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>
/// <c>coca slurm mail</c> as slurmctld runs it (MailProg -s SUBJECT USER, the job in SLURM_JOB_* variables), sending to a
/// real SMTP server (Debian's aiosmtpd) or through a mail command: the report added to end-of-job mails only, opt-outs
/// honoured, every report logged, and Slurm's mail sent even when the store is down.
/// </summary>
public sealed class SlurmMailCommandTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw|TRESUsageInTot|TotalCPU|AllocCPUS|SubmitLine|WorkDir";
    private const string EndSubject = "Slurm Job_id=700 Name=train Ended, Run time 01:00:00, COMPLETED, ExitCode 0";
    private readonly TempDirectory _dir = new("coca-slurm-mail");
    private readonly Dictionary<string, string> _env = new()
    {
        ["COCA_FEEDBACK_EMAIL_DOMAIN"] = "example.org",
        ["COCA_FEEDBACK_MAIL_WAIT"] = "0",
        ["COCA_FEEDBACK_MAIL_FROM"] = "slurm@ctl.example",
    };

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private void Import()
    {
        // Job 700: alice's, one GPU never used (a zero_gpu finding, with its tip); job 701: carol's, the same.
        var start = new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);
        string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        string Line(int id, string user) => $"{id}|{id}|train|{user}|proj|gpu|n1|cpu=8,gres/gpu=1|{T(start)}|{T(start)}|{T(start.AddHours(1))}|01:00:00|COMPLETED|0:0|" +
                                            $"3600000|cpu=00:01:00,gres/gpuutil=0|01:00:00|8||/home/{user}";
        File.WriteAllText(_dir.Combine("sacct.txt"), Header + "\n" + Line(700, "alice") + "\n" + Line(701, "carol") + "\n");
        var import = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", _dir.Combine("sacct.txt")]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    /// <summary>Runs coca slurm mail with Slurm's environment and <paramref name="body"/> on stdin, as slurmscriptd would.</summary>
    private CocaProcess.Result Mail(string[] args, string body, params (string Key, string Value)[] slurm)
    {
        var psi = CocaProcess.StartInfo(["slurm", "mail", .. args], _env);
        psi.RedirectStandardInput = true;
        foreach (var (k, v) in slurm) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(body);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60))) p.Kill(entireProcessTree: true);
        return new CocaProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static (string, string)[] Ended(string job, string user) =>
        [("SLURM_JOB_ID", job), ("SLURM_JOB_USER", user), ("SLURM_JOB_MAIL_TYPE", "Ended"), ("SLURM_JOB_STATE", "COMPLETED"), ("SLURM_JOB_NAME", "train")];

    [Fact]
    public void An_end_of_job_mail_reaches_a_real_smtp_server_with_the_jobs_report_and_tips_and_is_logged()
    {
        Import();
        using var smtp = new SmtpDaemon(_dir.Combine("maildir"));
        _env["COCA_FEEDBACK_SMTP"] = $"127.0.0.1:{smtp.Port}";

        var result = Mail(["-s", EndSubject, "alice", "--db", Db], "", Ended("700", "alice"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);

        var mail = Assert.Single(smtp.Messages());
        Assert.Equal(EndSubject, mail.Subject);
        Assert.Equal(("slurm@ctl.example", "alice@example.org"), (mail.From.Mailboxes.Single().Address, mail.To.Mailboxes.Single().Address));
        Assert.StartsWith("Job 700: train\n", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  finding     zero_gpu", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("tip: ", mail.TextBody, StringComparison.Ordinal);

        var logged = Assert.Single(CocaProcess.Run(["feedback", "log", "--db", Db, "--json"]).Json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("alice", "mail", "report", "700", "zero_gpu", "alice@example.org"), (logged.GetProperty("user").GetString(), logged.GetProperty("channel").GetString(),
            logged.GetProperty("kind").GetString(), logged.GetProperty("job_id").GetString(), logged.GetProperty("findings")[0].GetString(), logged.GetProperty("target").GetString()));
    }

    [Fact]
    public void A_user_who_opted_out_gets_the_plain_report_and_other_mails_pass_through_unchanged()
    {
        Import();
        Assert.Equal(0, CocaProcess.Run(["feedback", "opt-out", "carol", "--db", Db]).ExitCode);
        using var smtp = new SmtpDaemon(_dir.Combine("maildir"));
        _env["COCA_FEEDBACK_SMTP"] = $"127.0.0.1:{smtp.Port}";

        var plain = Mail(["-s", "Slurm Job_id=701 Name=train Failed, Run time 01:00:00, FAILED, ExitCode 1", "carol@lab.example", "--db", Db], "",
            ("SLURM_JOB_ID", "701"), ("SLURM_JOB_MAIL_TYPE", "Failed"));
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var began = Mail(["-s", "Slurm Job_id=700 Name=train Began, Queued time 00:00:01", "alice", "--db", Db], "a wrapper's body\n",
            ("SLURM_JOB_ID", "700"), ("SLURM_JOB_MAIL_TYPE", "Began"));
        Assert.True(began.ExitCode == 0, began.Stderr);
        _env["COCA_FEEDBACK_CHANNELS"] = "digest";
        var off = Mail(["-s", EndSubject, "alice", "--db", Db], "", Ended("700", "alice"));
        Assert.True(off.ExitCode == 0, off.Stderr);

        var messages = smtp.Messages();
        Assert.Equal(3, messages.Count);
        var carol = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == "carol@lab.example");
        Assert.Contains("Job 701: train", carol.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("tip:", carol.TextBody, StringComparison.Ordinal);
        var startMail = Assert.Single(messages, m => m.Subject!.Contains("Began", StringComparison.Ordinal));
        Assert.Equal("a wrapper's body\n", startMail.TextBody!.ReplaceLineEndings("\n"));
        var channelOff = Assert.Single(messages, m => m.Subject == EndSubject);
        Assert.Equal("", channelOff.TextBody!.Trim());

        var log = CocaProcess.Run(["feedback", "log", "--db", Db, "--json"]).Json.GetProperty("deliveries").EnumerateArray().ToList();
        var logged = Assert.Single(log);
        Assert.Equal(("carol", 0), (logged.GetProperty("user").GetString(), logged.GetProperty("findings").GetArrayLength()));
    }

    [Fact]
    public void With_the_store_down_slurms_mail_is_still_sent_through_the_mail_command_and_one_line_says_why()
    {
        var script = _dir.Combine("sendmail.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$*\" > {_dir.Combine("args")}\ncat > {_dir.Combine("sent.eml")}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _env["COCA_FEEDBACK_MAIL_COMMAND"] = script + " -t -oi";

        var result = Mail(["-s", EndSubject, "alice", "--db", "postgres://coca:secret@127.0.0.1:1/coca"], "", Ended("700", "alice"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("coca slurm mail: no report added for job 700: cannot read the store postgres://coca:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal("-t -oi\n", File.ReadAllText(_dir.Combine("args")));
        var sent = MimeKit.MimeMessage.Load(_dir.Combine("sent.eml"));
        Assert.Equal((EndSubject, "alice@example.org", ""), (sent.Subject, sent.To.Mailboxes.Single().Address, sent.TextBody!.Trim()));
    }

    [Fact]
    public void A_mail_that_cannot_be_sent_at_all_is_one_line_exit_1()
    {
        _env["COCA_FEEDBACK_SMTP"] = $"127.0.0.1:{SmtpDaemon.FreePort()}";
        var result = Mail(["-s", "Slurm Job_id=1 Name=x Began", "alice"], "");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("coca: SMTP 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(2, Mail(["-s", "no recipient"], "").ExitCode);
    }

    public void Dispose() => _dir.Dispose();
}
