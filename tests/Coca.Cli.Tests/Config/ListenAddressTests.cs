using Coca.Commands.Node;
using Coca.Commands.Node.Config;

namespace Coca.Cli.Tests.Config;

public class ListenAddressTests
{
    [Theory]
    [InlineData("garbage")]
    [InlineData("garbage:80")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    [InlineData("http://127.0.0.1:9464")]
    [InlineData(":9464")]
    public void Agent_listen_that_is_not_address_and_port_is_a_usage_error(string value)
    {
        var e = Assert.Throws<UsageException>(() => ListenAddress.HostPort(value));
        Assert.StartsWith("--listen must be ADDRESS:PORT", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:9464")]
    [InlineData("[::1]:9464")]
    [InlineData("*:0")]
    [InlineData("localhost:9464")]
    public void Agent_listen_forms_are_accepted(string value) => Assert.Equal(value, ListenAddress.HostPort(value));

    [Theory]
    [InlineData("127.0.0.1:18090")]
    [InlineData("garbage")]
    [InlineData("localhost:8080")]
    [InlineData("ftp://127.0.0.1:21")]
    public void Server_listen_that_is_not_a_url_is_a_usage_error(string value)
    {
        var e = Assert.Throws<UsageException>(() => ListenAddress.Url(value));
        Assert.StartsWith("--listen must be a URL such as http://127.0.0.1:8080", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_listen_host_and_port_suggests_the_url() =>
        Assert.EndsWith("(did you mean http://127.0.0.1:18090?)", Assert.Throws<UsageException>(() => ListenAddress.Url("127.0.0.1:18090")).Message, StringComparison.Ordinal);
}
