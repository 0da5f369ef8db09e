using Coca.Core.Estimation;

namespace Coca.Core.Tests.Estimation;

public class CpuPowerModelTests
{
    [Theory]
    [InlineData("AMD EPYC 7763 64-Core Processor", "AMD EPYC 7763")]
    [InlineData("Intel(R) Xeon(R) CPU E5-2690 v3 @ 2.60GHz", "Xeon E5-2690 v3")]
    [InlineData("Intel(R) Core(TM) i3-10100 CPU @ 3.60GHz", "Core i3-10100")]
    public void Proc_cpuinfo_model_names_match_the_table(string cpuinfo, string expected)
    {
        Assert.Equal(expected, CpuTdpTable.Match(cpuinfo)?.Model);
    }

    [Fact]
    public void The_most_specific_row_wins()
    {
        // "Xeon E5-2690" must not take the v3's place.
        Assert.Equal("Xeon E5-2690 v2", CpuTdpTable.Match("Intel(R) Xeon(R) CPU E5-2690 v2 @ 3.00GHz")?.Model);
    }

    [Fact]
    public void Known_model_on_a_whole_socket_is_its_tdp()
    {
        var m = CpuPowerModel.For("AMD EPYC 7763 64-Core Processor", visibleCores: 64, sockets: 1);
        Assert.Equal(280, m.MaxWatts, 6);
        Assert.Contains("AMD EPYC 7763", m.Basis);
    }

    [Fact]
    public void Vm_showing_part_of_a_socket_is_charged_per_visible_core()
    {
        var m = CpuPowerModel.For("AMD EPYC 7763 64-Core Processor", visibleCores: 8, sockets: 1);
        Assert.Equal(280.0 / 64 * 8, m.MaxWatts, 6);
    }

    [Fact]
    public void Unknown_model_uses_the_per_core_default_and_says_so()
    {
        var m = CpuPowerModel.For("Mystery CPU 9000", visibleCores: 4, sockets: 1);
        Assert.Equal(4 * CpuTdpTable.DefaultWattsPerCore, m.MaxWatts, 6);
        Assert.Contains("not in the TDP table", m.Basis);
    }

    [Fact]
    public void Memory_is_watts_per_gb_installed()
    {
        Assert.Equal(64 * MemoryPowerModel.WattsPerGb, MemoryPowerModel.Watts(64), 9);
        Assert.Contains("W/GB", MemoryPowerModel.Basis(64));
    }
}
