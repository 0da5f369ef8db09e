using Coca.Core.Accounting;
using Coca.Core.Carbon;
using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>
/// Reading a store never changes it: no migration on open, a clear word when the schema is behind, and a store that
/// is up to date answers a user who may only read. Each test on SQLite and PostgreSQL (where installed).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // Unix file modes
public sealed class ReadingContract : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store-read");
    private static readonly CarbonInputs Carbon = CarbonInputs.Resolve(null, 100, 1.5);

    public static TheoryData<string> Kinds() => JobStoreContract.Kinds();

    private string NewLocation(string kind) => kind == "sqlite" ? "sqlite:" + _dir.Combine($"{Guid.NewGuid():N}.db") : PostgresServer.NewDatabase();

    private static AccountingJob Job(string raw) => new() { JobIdRaw = raw, JobId = raw, User = "alice", State = "COMPLETED", Gpus = 1, ElapsedS = 60 };

    [Theory, MemberData(nameof(Kinds))]
    public void Reading_a_store_does_not_migrate_it(string kind)
    {
        var location = NewLocation(kind);
        JobStores.Open(location, Carbon).Dispose(); // an empty database: the file or the database exists, no schema

        var refused = Assert.Throws<StoreSchemaException>(() => JobStores.OpenForReading(location, Carbon));

        Assert.Contains("coca store migrate", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        using var writer = JobStores.Open(location, Carbon);
        Assert.Equal(Sql.Migrations.Steps.Length, writer.Migrate()); // every step still to run: the reader applied none
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_reader_of_a_schema_older_than_the_code_is_told_to_migrate(string kind)
    {
        var location = NewLocation(kind);
        using (var old = (Sql.SqlJobStore)JobStores.Open(location, Carbon)) old.Migrate(upTo: 1);

        var refused = Assert.Throws<StoreSchemaException>(() => JobStores.OpenForReading(location, Carbon));

        Assert.Contains("version 1", refused.Message);
        Assert.Contains("coca store migrate", refused.Message);
        using var writer = JobStores.Open(location, Carbon);
        Assert.Equal(Sql.Migrations.Steps.Length - 1, writer.Migrate());
        using var reader = JobStores.OpenForReading(location, Carbon);
        Assert.Empty(reader.Jobs(new JobQuery()));
    }

    [Fact]
    public void Reading_where_there_is_no_sqlite_file_creates_none()
    {
        var path = _dir.Combine("none", "coca.db");
        var refused = Assert.Throws<StoreSchemaException>(() => JobStores.OpenForReading("sqlite:" + path, Carbon));
        Assert.Contains("coca store migrate", refused.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void An_up_to_date_store_is_queryable_by_a_user_who_may_only_read(string kind)
    {
        var location = NewLocation(kind);
        using (var writer = JobStores.Open(location, Carbon))
        {
            writer.Migrate();
            writer.UpsertAccounting([Job("1"), Job("2")]);
        }
        var readOnly = ReadOnly(kind, location);

        using var reader = JobStores.OpenForReading(readOnly, Carbon);

        Assert.Equal(["1", "2"], reader.Jobs(new JobQuery()).Select(j => j.JobIdRaw));
        Assert.Equal(2, reader.Summary(new JobQuery()).Total.Jobs);
        Assert.Equal("alice", Assert.Single(reader.Users(null)).User);
        Assert.Equal("COMPLETED", reader.Job("2")!.State);
        Assert.Equal(0, reader.Migrate()); // `coca store migrate` on a current store writes nothing, so a reader may run it
        // The user may indeed not write: the answers above were read, not repaired.
        Assert.ThrowsAny<System.Data.Common.DbException>(() => reader.UpsertAccounting([Job("3")]));
    }

    // SQLite: the file made read-only (root ignores the mode bits, which is why the reader opens it read-only itself);
    // PostgreSQL: a role with USAGE and SELECT alone.
    private static string ReadOnly(string kind, string location)
    {
        if (kind == "postgres") return PostgresServer.ReadOnlyRole(location);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the writer's last connection closes, checkpointing its WAL
        File.SetUnixFileMode(location["sqlite:".Length..], UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return location;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
