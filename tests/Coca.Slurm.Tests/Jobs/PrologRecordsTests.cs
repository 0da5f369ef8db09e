using Coca.Slurm.Jobs;
using Coca.TestSupport;

namespace Coca.Slurm.Tests.Jobs;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrologRecordsTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new("coca-records");

    private PrologRecords Store() => new(_dir.Combine("state"));

    private static JobRecord Record(string id, DateTimeOffset at) => new() { JobId = id, User = "ada", StartedAt = at };

    [Fact]
    public void A_job_id_that_leaves_the_records_directory_never_reaches_a_path()
    {
        var store = Store();
        Assert.Throws<ArgumentException>(() => store.WriteProlog(Record("../escaped", Start)));
        Assert.Throws<ArgumentException>(() => store.WriteEpilog("../escaped", Start));
        Assert.Throws<ArgumentException>(() => store.Remove("../escaped"));
        Assert.False(File.Exists(_dir.Combine("state", "escaped.json")));
        Assert.False(File.Exists(_dir.Combine("state", "escaped.end")));
    }

    [Fact]
    public void A_record_whose_job_id_is_not_slurms_is_skipped_and_named()
    {
        var store = Store();
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(Path.Combine(store.Directory, "7.json"), """{"job_id":"../escaped","started_at":"2026-03-01T10:00:00Z"}""");
        var problems = new List<string>();
        Assert.Empty(store.ReadAll(problems));
        Assert.Single(problems);
    }

    [Fact]
    public void Records_are_readable_by_their_owner_only()
    {
        var store = Store();
        store.WriteProlog(Record("5", Start));
        store.WriteEpilog("5", Start.AddMinutes(1));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.Directory, "5.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.Directory, "5.end")));
    }

    [Fact]
    public void A_record_missing_user_or_gpu_indices_is_read_with_defaults()
    {
        var store = Store();
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(Path.Combine(store.Directory, "8.json"), """{"job_id":"8","user":null,"gpu_indices":null,"started_at":"2026-03-01T10:00:00Z"}""");
        File.WriteAllText(Path.Combine(store.Directory, "9.json"), """{"job_id":"9","started_at":"2026-03-01T10:00:00Z"}""");
        var records = store.ReadAll().OrderBy(r => r.JobId, StringComparer.Ordinal).ToList();
        Assert.Equal(["8", "9"], records.Select(r => r.JobId));
        Assert.All(records, r => Assert.Equal("", r.User));
        Assert.All(records, r => Assert.Empty(r.GpuIndices));
    }

    [Fact]
    public void An_epilog_without_prolog_does_not_end_the_next_prolog_of_that_id()
    {
        var store = Store();
        store.WriteEpilog("11", Start);
        store.WriteProlog(Record("11", Start.AddSeconds(5)));
        var record = Assert.Single(store.ReadAll());
        Assert.Null(record.EndedAt);
    }

    [Fact]
    public void An_end_older_than_its_start_is_ignored_and_named()
    {
        var store = Store();
        store.WriteProlog(Record("12", Start));
        File.WriteAllText(Path.Combine(store.Directory, "12.end"), Start.AddHours(-1).ToUnixTimeMilliseconds() + "\n");
        var problems = new List<string>();
        Assert.Null(Assert.Single(store.ReadAll(problems)).EndedAt);
        Assert.Single(problems);
    }

    [Fact]
    public void A_second_prolog_mid_job_keeps_the_first_start()
    {
        var store = Store();
        store.WriteProlog(Record("13", Start));
        store.WriteProlog(Record("13", Start.AddMinutes(5)));
        Assert.Equal(Start, Assert.Single(store.ReadAll()).StartedAt);
    }

    [Fact]
    public void A_requeued_job_starts_a_new_run_after_its_first_ended()
    {
        var store = Store();
        store.WriteProlog(Record("14", Start));
        store.WriteEpilog("14", Start.AddMinutes(1));
        store.WriteProlog(Record("14", Start.AddMinutes(2)));
        var record = Assert.Single(store.ReadAll());
        Assert.Equal((Start.AddMinutes(2), (DateTimeOffset?)null), (record.StartedAt, record.EndedAt));
    }

    [Fact]
    public void Stale_temporary_files_are_swept()
    {
        var store = Store();
        Directory.CreateDirectory(store.Directory);
        var stale = Path.Combine(store.Directory, "15.json.tmp-999");
        File.WriteAllText(stale, "{");
        File.SetLastWriteTimeUtc(stale, Start.UtcDateTime);
        Assert.Equal(1, store.SweepTemporaryFiles(Start.AddHours(1)));
        Assert.False(File.Exists(stale));
    }

    public void Dispose() => _dir.Dispose();
}
