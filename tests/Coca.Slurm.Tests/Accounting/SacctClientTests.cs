using Coca.Slurm.Accounting;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Accounting;

[System.Runtime.Versioning.SupportedOSPlatform("linux")] // fake sacct scripts need Unix file modes
public sealed class SacctClientTests : IDisposable
{
    private const string Header = "JobID|JobIDRaw|JobName|User|Account|Partition|NodeList|AllocTRES|Submit|Start|End|Elapsed|State|ExitCode|ConsumedEnergyRaw";
    private readonly TempDirectory _dir = new("coca-sacct");

    private string FakeSacct(string body)
    {
        var path = _dir.Combine("sacct");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void Sacct_is_asked_for_every_user_since_the_instant_in_its_own_zone_with_every_column_the_record_holds()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var args = SacctClient.Arguments(new DateTimeOffset(2026, 1, 30, 0, 0, 0, TimeSpan.Zero), paris);
        Assert.Equal(["--allusers", "--parsable2", "--starttime", "2026-01-30T01:00:00", "--format=" + SacctClient.Format], args);
        Assert.Contains("ConsumedEnergyRaw", SacctClient.Format);
    }

    [Fact]
    public void Sacct_output_is_read_into_jobs_with_steps_folded()
    {
        var argsFile = _dir.Combine("args");
        var sacct = FakeSacct($"""
            echo "$@" > '{argsFile}'
            cat <<'EOF'
            {Header}
            10|10|train|alice|proj|gpu|n1|cpu=8,gres/gpu=2|2026-02-01T10:00:00|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|
            10.batch|10.batch|batch|||gpu|n1|cpu=8,gres/gpu=2|2026-02-01T10:00:30|2026-02-01T10:00:30|2026-02-01T12:00:30|02:00:00|COMPLETED|0:0|7200000
            EOF
            """);

        var result = new SacctClient(sacct).Read(new DateTimeOffset(2026, 1, 30, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        var job = Assert.Single(result.Jobs);
        Assert.Equal(("10", "alice", 2, 7_200_000.0), (job.JobIdRaw, job.User!, job.Gpus!.Value, job.SlurmEnergyJ!.Value));
        Assert.Empty(result.Problems);
        Assert.StartsWith("--allusers --parsable2 --starttime 2026-01-30T00:00:00 --format=JobID,", File.ReadAllText(argsFile));
    }

    [Fact]
    public void A_sacct_that_cannot_be_started_is_told_apart_from_one_that_fails()
    {
        var missing = Assert.Throws<SacctNotRunnableException>(() => new SacctClient(_dir.Combine("no-sacct")).Read(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc));
        Assert.Contains("cannot run", missing.Message);

        var failing = FakeSacct("echo 'sacct: error: slurmdbd unreachable' >&2; exit 3");
        var failed = Assert.Throws<InvalidOperationException>(() => new SacctClient(failing).Read(DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc));
        Assert.Contains("failed (3): sacct: error: slurmdbd unreachable", failed.Message);
    }

    public void Dispose() => _dir.Dispose();
}
