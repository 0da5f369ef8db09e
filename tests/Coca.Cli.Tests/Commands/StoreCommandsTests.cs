using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>import-sacct, sync, jobs, job, users and token through the built CLI, on an embedded store.</summary>
public sealed class StoreCommandsTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw";
    private readonly TempDirectory _dir = new("coca-store-cli");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    private string Dump(string name, params string[] lines)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, Header + "\n" + string.Join("\n", lines) + "\n");
        return path;
    }

    private static readonly string[] TwoJobs =
    [
        "10|10|train|alice|proj|gpu|n1|cpu=8,gres/gpu=2|2026-02-01T10:00:00|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|",
        "10.batch|10.batch|batch|||gpu|n1|cpu=8,gres/gpu=2|2026-02-01T10:00:30|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|7200000",
        "11_3|12|sweep|bob|proj|gpu|n2|cpu=4,gres/gpu=1|2026-02-02T09:00:00|2026-02-02T09:01:00|2026-02-02T09:31:00|00:30:00|CANCELLED by 1002|0:15|",
    ];

    [Fact]
    public void Import_is_idempotent_and_reports_bad_lines_with_exit_1()
    {
        var dump = Dump("sacct.txt", [.. TwoJobs, "oops|x"]);
        var first = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("line 5:", first.Stderr);
        Assert.Contains("2 new", first.Stderr);
        var second = CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", dump]);
        Assert.Contains("0 new, 0 updated, 2 unchanged", second.Stderr);

        var jobs = JsonDocument.Parse(CocaProcess.Run(["jobs", "--db", Db, "--json"]).Stdout).RootElement.GetProperty("jobs");
        Assert.Equal(["10", "11_3"], jobs.EnumerateArray().Select(j => j.GetProperty("job_id").GetString()));
        var array = jobs[1];
        Assert.Equal(("12", "11", 3, "CANCELLED"), (array.GetProperty("job_id_raw").GetString()!, array.GetProperty("array_job_id").GetString()!, array.GetProperty("array_task_id").GetInt32(), array.GetProperty("state").GetString()!));
        Assert.Equal(7_200_000, jobs[0].GetProperty("slurm_energy_j").GetDouble());
        Assert.Equal(JsonValueKind.Null, jobs[0].GetProperty("energy_j").ValueKind);
        Assert.Equal("2026-02-01T10:00:00+00:00", jobs[0].GetProperty("submit").GetString());
    }

    [Fact]
    public void Jobs_filter_and_job_and_users_answer()
    {
        CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", Dump("sacct.txt", TwoJobs)]);
        var bob = JsonDocument.Parse(CocaProcess.Run(["jobs", "--db", Db, "--json", "--user", "bob"]).Stdout).RootElement.GetProperty("jobs");
        Assert.Equal(1, bob.GetArrayLength());
        var since = JsonDocument.Parse(CocaProcess.Run(["jobs", "--db", Db, "--json", "--since", "2026-02-02"]).Stdout).RootElement.GetProperty("jobs");
        Assert.Equal("11_3", Assert.Single(since.EnumerateArray()).GetProperty("job_id").GetString());
        var table = CocaProcess.Run(["jobs", "--db", Db, "--state", "COMPLETED"]);
        Assert.Contains("train", CocaProcess.Run(["job", "10", "--db", Db]).Stdout);
        Assert.Contains("alice", table.Stdout);
        Assert.DoesNotContain("bob", table.Stdout);

        var report = CocaProcess.Run(["job", "11_3", "--db", Db]).Stdout;
        Assert.Contains("CANCELLED", report);
        Assert.Contains("not measured", report);
        Assert.Equal(1, CocaProcess.Run(["job", "999", "--db", Db]).ExitCode);

        var users = JsonDocument.Parse(CocaProcess.Run(["users", "--db", Db, "--json"]).Stdout).RootElement.GetProperty("users");
        var alice = users.EnumerateArray().Single(u => u.GetProperty("user").GetString() == "alice");
        Assert.Equal(4.0, alice.GetProperty("gpu_hours").GetDouble(), 9);
        Assert.Equal(2, CocaProcess.Run(["jobs", "--db", Db, "--since", "last tuesday"]).ExitCode);
    }

    [Fact]
    public void Jobs_summary_sums_by_month_and_state_in_a_table_and_as_json()
    {
        CocaProcess.Run(["slurm", "import-sacct", "--db", Db, "--timezone", "UTC", Dump("sacct.txt", TwoJobs)]);
        var summary = JsonDocument.Parse(CocaProcess.Run(["jobs", "--db", Db, "--summary", "--json", "--since", "2026-01-01"]).Stdout).RootElement;
        Assert.Equal(2, summary.GetProperty("total").GetProperty("jobs").GetInt64());
        Assert.Equal(4.5, summary.GetProperty("total").GetProperty("gpu_hours").GetDouble(), 9); // 2 GPUs × 2 h + 1 GPU × 0.5 h
        Assert.Equal("2026-02", Assert.Single(summary.GetProperty("months").EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal(["CANCELLED", "COMPLETED"], summary.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("key").GetString()).Order());

        var table = CocaProcess.Run(["jobs", "--db", Db, "--summary", "--user", "alice"]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("2026-02", table.Stdout);
        Assert.Contains("total", table.Stdout);
        Assert.DoesNotContain("CANCELLED", table.Stdout); // bob's job is not alice's
        Assert.Contains("no jobs match", CocaProcess.Run(["jobs", "--db", Db, "--summary", "--user", "nobody"]).Stdout);
    }

    [Fact]
    public void Sync_runs_sacct_with_the_documented_columns_and_imports()
    {
        var fake = _dir.Combine("sacct");
        var args = _dir.Combine("sacct.args");
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$@\" > '{args}'\ncat <<'EOF'\n{Header}\n{string.Join("\n", TwoJobs)}\nEOF\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var r = CocaProcess.Run(["slurm", "sync", "--db", Db, "--sacct", fake, "--since", "2026-01-30", "--timezone", "UTC"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("2 new", r.Stderr);
        var called = File.ReadAllText(args);
        Assert.Contains("--allusers --parsable2 --starttime 2026-01-30T00:00:00", called);
        Assert.Contains("--format=JobID,JobIDRaw,", called);
    }

    [Fact]
    public async Task Sync_reads_slurmrestd_with_its_user_and_token_headers()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        string? path = null, user = null, token = null;
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            (path, user, token) = (context.Request.Url!.PathAndQuery, context.Request.Headers["X-SLURM-USER-NAME"], context.Request.Headers["X-SLURM-USER-TOKEN"]);
            var body = Encoding.UTF8.GetBytes("""{"jobs": [{"job_id": 77, "name": "rest", "user": "erin", "state": {"current": ["COMPLETED"]}, "time": {"submission": 1767225600, "start": 1767225601, "end": 1767225661, "elapsed": 60}}]}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        File.WriteAllText(_dir.Combine("jwt"), "eyJhbGciOi.fake.jwt\n");
        var r = CocaProcess.Run(["slurm", "sync", "--db", Db, "--slurmrestd", $"http://127.0.0.1:{port}", "--api", "v0.0.40",
            "--slurmrestd-user", "slurm", "--slurmrestd-token-file", _dir.Combine("jwt"), "--since", "2026-01-01T00:00:00Z"]);
        await serving;
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("/slurmdb/v0.0.40/jobs?start_time=1767225600", path);
        Assert.Equal(("slurm", "eyJhbGciOi.fake.jwt"), (user, token));
        Assert.Equal("erin", JsonDocument.Parse(CocaProcess.Run(["job", "77", "--json", "--db", Db]).Stdout).RootElement.GetProperty("user").GetString());
    }

    [Fact]
    public void Sync_with_a_slurmrestd_address_that_is_not_a_url_or_an_unknown_zone_is_a_usage_error()
    {
        foreach (var args in new[] { new[] { "--slurmrestd", "slurm:6820" }, ["--timezone", "Mars/Olympus"] })
        {
            var r = CocaProcess.Run(["slurm", "sync", "--db", Db, "--sacct", _dir.Combine("no-sacct"), .. args]);
            Assert.Equal(2, r.ExitCode);
            Assert.Single(r.Stderr.Trim().Split('\n'));
        }
        Assert.Contains("give --sacct PATH", CocaProcess.Run(["slurm", "sync", "--db", Db, "--sacct", _dir.Combine("no-sacct")]).Stderr);
    }

    [Fact]
    public void Tokens_are_issued_once_listed_without_secrets_and_revoked()
    {
        var secret = CocaProcess.Run(["token", "issue", "--user", "alice", "--db", Db]).Stdout.Trim();
        Assert.StartsWith("coca_", secret);
        var list = CocaProcess.Run(["token", "list", "--db", Db]).Stdout;
        Assert.Contains("alice", list);
        Assert.DoesNotContain(secret, list);
        var id = list.Split(' ')[0];
        Assert.Equal(0, CocaProcess.Run(["token", "revoke", id, "--db", Db]).ExitCode);
        Assert.Contains("revoked", CocaProcess.Run(["token", "list", "--db", Db]).Stdout);
        Assert.Equal(2, CocaProcess.Run(["token", "issue", "--db", Db]).ExitCode);
    }

    [Fact]
    public void Unreachable_store_is_one_line_exit_1_without_the_password()
    {
        var r = CocaProcess.Run(["jobs", "--db", "postgres://coca:hunter2@127.0.0.1:1/coca"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("hunter2", r.Stderr);
    }

    public void Dispose() => _dir.Dispose();
}
