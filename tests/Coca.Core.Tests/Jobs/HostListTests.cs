using Coca.Core.Jobs;

namespace Coca.Core.Tests.Jobs;

public class HostListTests
{
    [Theory]
    [InlineData("n1", "n1", true)]
    [InlineData("n1,n2", "n2", true)]
    [InlineData("n1", "n10", false)]
    [InlineData("gpu[01-04,07]", "gpu03", true)]
    [InlineData("gpu[01-04,07]", "gpu07", true)]
    [InlineData("gpu[01-04,07]", "gpu05", false)]
    [InlineData("gpu[01-04,07]", "gpu3", false)]
    [InlineData("gpu[8-12]", "gpu10", true)]
    [InlineData("login1,gpu[1-2]", "login1", true)]
    [InlineData("r[1-2]n[01-08]", "r2n08", true)]
    [InlineData("r[1-2]n[01-08]", "r3n01", false)]
    [InlineData("n[1-2]-ib", "n2-ib", true)]
    [InlineData("n[1-2]-ib", "n2", false)]
    [InlineData("n[1-", "n1", false)]
    public void A_node_is_in_a_compressed_slurm_node_list_or_not(string list, string node, bool expected) => Assert.Equal(expected, HostList.Contains(list, node));
}
