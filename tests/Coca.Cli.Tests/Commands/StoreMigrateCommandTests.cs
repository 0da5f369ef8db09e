using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary>`coca store migrate`, and readers (jobs, job, users) that never migrate, through the built CLI on an embedded store.</summary>
public sealed class StoreMigrateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-store-migrate");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    [Fact]
    public void Store_migrate_prints_how_many_migrations_ran_then_none()
    {
        var first = CocaProcess.Run(["store", "migrate", "--db", Db]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.StartsWith("4 migration(s) applied to " + Db, first.Stdout);

        var again = CocaProcess.Run(["store", "migrate", "--db", Db]);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("0 migration(s) applied", again.Stdout);
        Assert.Equal(0, CocaProcess.Run(["jobs", "--db", Db, "--json"]).ExitCode);
    }

    [Fact]
    public void Readers_of_a_store_never_migrated_are_told_in_one_line_to_run_store_migrate_and_migrate_nothing()
    {
        File.WriteAllBytes(_dir.Combine("coca.db"), []); // an empty SQLite database: no schema
        foreach (var read in new[] { new[] { "jobs" }, ["job", "1"], ["users"], ["jobs", "--summary"] })
        {
            var r = CocaProcess.Run([.. read, "--db", Db]);
            Assert.Equal(1, r.ExitCode);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.Contains("run `coca store migrate`", r.Stderr);
        }
        Assert.StartsWith("4 migration(s)", CocaProcess.Run(["store", "migrate", "--db", Db]).Stdout); // the readers applied none
    }

    [Fact]
    public void Reading_where_there_is_no_store_is_one_line_and_creates_nothing()
    {
        var db = "sqlite:" + _dir.Combine("nowhere", "coca.db");
        var r = CocaProcess.Run(["jobs", "--db", db]);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("no store there yet", r.Stderr);
        Assert.False(Directory.Exists(_dir.Combine("nowhere")));
    }

    public void Dispose() => _dir.Dispose();
}
