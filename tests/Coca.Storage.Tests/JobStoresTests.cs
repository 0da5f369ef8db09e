using Coca.TestSupport;

namespace Coca.Storage.Tests;

/// <summary>What <c>--db</c> may name: a known store, or a one-line error that creates nothing.</summary>
public sealed class JobStoresTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-stores");

    [Theory]
    [InlineData("mysql://coca:s3cret@db/coca")]
    [InlineData("redis:localhost")]
    [InlineData("Host=db;Username=coca;Password=s3cret")]
    [InlineData("Data Source=coca.db;Password=s3cret")]
    [InlineData("sqlite:Password=s3cret")]
    public void A_location_that_names_no_known_store_is_a_one_line_error_without_its_secret(string location)
    {
        var before = Directory.GetFileSystemEntries(Environment.CurrentDirectory).Length;
        var e = Assert.Throws<ArgumentException>(() => JobStores.Open(location));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(Environment.CurrentDirectory).Length);
    }

    [Theory]
    [InlineData("sqlite:")]
    [InlineData("")]
    public void A_prefix_alone_is_refused(string location)
    {
        var e = Assert.Throws<ArgumentException>(() => JobStores.Open(location));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_parent_folder_is_an_error_not_a_new_empty_store()
    {
        var path = _dir.Combine("typo", "coca.db");
        foreach (var location in new[] { "sqlite:" + path, path })
        {
            var e = Assert.Throws<ArgumentException>(() => JobStores.Open(location));
            Assert.Contains("does not exist", e.Message);
        }
        Assert.False(Directory.Exists(_dir.Combine("typo")));
    }

    [Fact]
    public void A_path_in_an_existing_folder_opens_with_or_without_its_prefix()
    {
        using (var a = JobStores.Open("sqlite:" + _dir.Combine("a.db"))) Assert.Equal("sqlite", a.Kind);
        using (var b = JobStores.Open(_dir.Combine("b.db"))) Assert.Equal("sqlite", b.Kind);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
