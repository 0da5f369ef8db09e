using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Powercap;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Powercap;

public class PowercapSourceTests
{
    private static DeviceSample[] Sample(PowercapSource s, double t)
    {
        var buffer = new DeviceSample[s.Devices.Count];
        s.Sample(t, buffer);
        return buffer;
    }

    private static long EnergyOf(PowercapSource s, DeviceSample[] before, DeviceSample[] after, string id)
    {
        var i = s.Devices.ToList().FindIndex(d => d.Id == id);
        return after[i].EnergyUj - before[i].EnergyUj;
    }

    [Fact]
    public void Packages_and_dram_are_counted_core_is_reported_not_added()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var s = new PowercapSource(f.Root);

        var counted = s.Devices.Where(d => d.Counted).Select(d => d.Id).OrderBy(x => x).ToArray();
        Assert.Equal(["dram-0", "dram-1", "package-0", "package-1"], counted);
        var core = Assert.Single(s.Devices, d => d.Id == "core-0");
        Assert.False(core.Counted);
        Assert.Equal(ComponentKind.Cpu, core.Component);
        Assert.Contains("never added", core.Note);
        Assert.Equal(ComponentKind.Dram, s.Devices.Single(d => d.Id == "dram-1").Component);
        Assert.Empty(s.Issues);
        Assert.True(s.MeasuresCpu);
        Assert.True(s.MeasuresDram);
    }

    [Fact]
    public void Zones_are_identified_by_name_not_by_index()
    {
        // On some parts dram is intel-rapl:0:0 and core intel-rapl:0:1.
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0", 10)
            .Zone("intel-rapl:0:0", "dram", 10)
            .Zone("intel-rapl:0:1", "core", 10);
        using var s = new PowercapSource(f.Root);
        Assert.Equal(ComponentKind.Dram, s.Devices.Single(d => d.Attributes["zone"] == "intel-rapl:0:0").Component);
        Assert.Equal("dram-0", s.Devices.Single(d => d.Attributes["zone"] == "intel-rapl:0:0").Id);
        Assert.False(s.Devices.Single(d => d.Attributes["zone"] == "intel-rapl:0:1").Counted);
    }

    [Fact]
    public void Counter_wrap_during_sampling_is_exact_to_the_microjoule()
    {
        const ulong max = SysfsFixture.RealMaxEnergyRangeUj;
        using var f = new SysfsFixture().Zone("intel-rapl:0", "package-0", max - 5_000_000, maxPowerUw: 200_000_000);
        using var s = new PowercapSource(f.Root);
        var first = Sample(s, 0);
        f.SetEnergy("intel-rapl:0", max - 1_000);
        Sample(s, 1);
        f.SetEnergy("intel-rapl:0", 7_654_321);
        var last = Sample(s, 2);

        Assert.Equal(5_000_000L - 1_000 + 1_000 + 1 + 7_654_321, EnergyOf(s, first, last, "package-0"));
        Assert.Equal(Provenance.Measured, last[0].Provenance);
    }

    [Fact]
    public void Mmio_duplicate_of_a_package_is_counted_once()
    {
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0", 1_000)
            .Zone("intel-rapl-mmio:0", "package-0", 1_000);
        using var s = new PowercapSource(f.Root);

        var packages = s.Devices.Where(d => d.Id == "package-0").ToList();
        Assert.Equal(2, packages.Count);
        var counted = Assert.Single(packages, d => d.Counted);
        Assert.Equal("intel-rapl:0", counted.Attributes["zone"]);
        Assert.Contains("MMIO", packages.Single(d => !d.Counted).Note);
    }

    [Fact]
    public void Mmio_zone_alone_is_counted()
    {
        using var f = new SysfsFixture().Zone("intel-rapl-mmio:0", "package-0", 1_000);
        using var s = new PowercapSource(f.Root);
        Assert.True(Assert.Single(s.Devices).Counted);
    }

    [Fact]
    public void Each_die_of_a_multi_die_package_is_counted_once()
    {
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0-die-0", 0)
            .Zone("intel-rapl:0:0", "dram", 0)
            .Zone("intel-rapl:1", "package-0-die-1", 0)
            .Zone("intel-rapl:1:0", "dram", 0);
        using var s = new PowercapSource(f.Root);
        var first = Sample(s, 0);
        f.SetEnergy("intel-rapl:0", 3_000_000);
        f.SetEnergy("intel-rapl:1", 4_000_000);
        var last = Sample(s, 1);

        Assert.Equal(["dram-0-die-0", "dram-0-die-1", "package-0-die-0", "package-0-die-1"],
            s.Devices.Where(d => d.Counted).Select(d => d.Id).OrderBy(x => x).ToArray());
        var cpu = s.Devices.Select((d, i) => d.Counted && d.Component == ComponentKind.Cpu ? last[i].EnergyUj - first[i].EnergyUj : 0).Sum();
        Assert.Equal(7_000_000L, cpu);
    }

    [Fact]
    public void Psys_is_reported_separately_never_added()
    {
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0", 0)
            .Zone("intel-rapl:1", "psys", 0);
        using var s = new PowercapSource(f.Root);
        var psys = s.Devices.Single(d => d.Id == "psys");
        Assert.False(psys.Counted);
        Assert.Equal(ComponentKind.Other, psys.Component);
        Assert.Contains("superset", psys.Note);
    }

    [Fact]
    public void Amd_zen_with_package_and_core_only_measures_cpu_not_dram()
    {
        using var f = new SysfsFixture()
            .Zone("intel-rapl:0", "package-0", 0, maxPowerUw: null)
            .Zone("intel-rapl:0:0", "core", 0, maxPowerUw: null);
        using var s = new PowercapSource(f.Root);
        Assert.True(s.MeasuresCpu);
        Assert.False(s.MeasuresDram);
        Assert.Empty(s.Issues);
    }

    [Fact]
    public void Permission_denied_says_why_and_how_to_fix_it()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var s = new PowercapSource(f.Root, new DenyingOpener(p => p.EndsWith("energy_uj", StringComparison.Ordinal)));

        Assert.Empty(s.Devices);
        Assert.False(s.MeasuresCpu);
        var issue = s.Issues.First();
        Assert.Contains("permission denied", issue.Problem);
        Assert.Contains("CVE-2020-8694", issue.Problem);
        Assert.Contains("run as root", issue.Fix);
    }

    [Fact]
    public void Missing_powercap_directory_is_an_issue_not_an_exception()
    {
        using var dir = new TempDirectory();
        using var s = new PowercapSource(dir.Path);
        Assert.Empty(s.Devices);
        Assert.Contains("no RAPL zones", Assert.Single(s.Issues).Problem);
    }

    [Fact]
    public void Unreadable_counter_mid_run_keeps_the_energy_already_measured()
    {
        using var f = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0);
        using var s = new PowercapSource(f.Root);
        Sample(s, 0);
        f.SetEnergy("intel-rapl:0", 2_000_000);
        var good = Sample(s, 1);
        File.WriteAllText(f.EnergyFile("intel-rapl:0"), "garbage\n");
        var bad = Sample(s, 2);
        Assert.Equal(DeviceState.Unreadable, bad[0].State);
        Assert.Equal(2_000_000L, good[0].EnergyUj);
        f.SetEnergy("intel-rapl:0", 2_500_000);
        Assert.Equal(2_500_000L, Sample(s, 3)[0].EnergyUj);
    }

    [Fact]
    public void Wrap_time_at_max_power_is_computable()
    {
        using var f = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0, maxPowerUw: 150_000_000);
        using var s = new PowercapSource(f.Root);
        Assert.Equal(SysfsFixture.RealMaxEnergyRangeUj / 150e6, s.Zones.Single().WrapSecondsAtMaxPower!.Value, 6);
    }

    [Fact]
    public void A_tick_allocates_nothing()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var s = new PowercapSource(f.Root);
        var buffer = new DeviceSample[s.Devices.Count];
        for (var i = 0; i < 10; i++) s.Sample(i, buffer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10; i < 1010; i++) s.Sample(i, buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [SharedDataFact("powercap/node_exporter-sysfs/sys")]
    public void Reads_the_real_node_exporter_powercap_capture()
    {
        using var s = new PowercapSource(SharedData.PathOf("powercap/node_exporter-sysfs/sys")!);
        var package = Assert.Single(s.Devices, d => d.Counted);
        Assert.Equal("package-0", package.Id);
        Assert.Contains(s.Devices, d => d.Id == "core-0" && !d.Counted);
        var buffer = new DeviceSample[s.Devices.Count];
        s.Sample(0, buffer);
        Assert.All(buffer, b => Assert.Equal(DeviceState.Ok, b.State));
        Assert.NotNull(s.Zones.First(z => z.DeviceId == "package-0").MaxEnergyRangeUj);
    }
}
