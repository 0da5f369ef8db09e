using Coca.Storage;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca token login-url</c> through the built CLI: a link on the given address whose secret the store redeems once.</summary>
public sealed class LoginUrlCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-login-url");

    private string Db => "sqlite:" + _dir.Combine("coca.db");

    [Fact]
    public void The_link_is_on_the_given_address_and_its_secret_signs_the_user_in_once()
    {
        var r = CocaProcess.Run(["token", "login-url", "--user", "alice", "--ttl", "2h", "--url", "https://coca.example.org/", "--db", Db]);
        Assert.Equal(0, r.ExitCode);
        var url = new Uri(r.Stdout.Trim());
        Assert.Equal("https://coca.example.org/login", url.GetLeftPart(UriPartial.Path));
        var secret = Uri.UnescapeDataString(url.Query["?token=".Length..]);
        using var store = JobStores.Open(Db);
        var session = store.RedeemLogin(secret, TimeSpan.FromHours(1));
        Assert.Equal(("user", "alice"), (session?.Role, session?.Subject));
        Assert.Null(store.RedeemLogin(secret, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("--ttl", "0m")]
    [InlineData("--ttl", "8d")]
    [InlineData("--ttl", "NaNm")]
    [InlineData("--ttl", "10w")]
    [InlineData("--url", "ftp://x")]
    public void Bad_values_are_one_line_and_exit_2(string option, string value)
    {
        var r = CocaProcess.Run(["token", "login-url", "--user", "alice", option, value, "--db", Db]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_managers_link_carries_the_account_and_the_users_name()
    {
        var r = CocaProcess.Run(["token", "login-url", "--manager", "proj-ml.2", "--user", "dana", "--url", "http://localhost:8080", "--db", Db]);
        Assert.Equal(0, r.ExitCode);
        var secret = Uri.UnescapeDataString(new Uri(r.Stdout.Trim()).Query["?token=".Length..]);
        using var store = JobStores.Open(Db);
        var session = store.RedeemLogin(secret, TimeSpan.FromHours(1));
        Assert.Equal(("manager:proj-ml.2", "dana"), (session?.Role, session?.Subject));
    }

    [Theory]
    [InlineData("--manager", "proj ml")]
    [InlineData("--manager", "proj;rm")]
    [InlineData("--manager", "")]
    [InlineData("--manager", "proj:x")]
    public void A_manager_flag_without_a_slurm_account_name_is_one_line_and_exit_2(string option, string value)
    {
        var r = CocaProcess.Run(["token", "login-url", option, value, "--db", Db]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--manager", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Manager_and_admin_together_or_neither_user_nor_manager_are_refused()
    {
        var both = CocaProcess.Run(["token", "login-url", "--manager", "proj", "--admin", "--db", Db]);
        Assert.Equal(2, both.ExitCode);
        Assert.Single(both.Stderr.Trim().Split('\n'));
        var neither = CocaProcess.Run(["token", "login-url", "--db", Db]);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--user", neither.Stderr);
        Assert.Single(neither.Stderr.Trim().Split('\n'));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
