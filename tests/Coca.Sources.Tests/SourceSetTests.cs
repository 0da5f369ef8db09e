using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Estimate;
using Coca.Sources.Tests.Powercap;
using Coca.TestSupport;

namespace Coca.Sources.Tests;

public class SourceSetTests
{
    [Fact]
    public void Without_rapl_cpu_and_memory_are_estimated_and_labelled_so()
    {
        using var empty = new TempDirectory();
        using var set = SourceSet.Open(new SourceSetOptions { SysfsRoot = empty.Path, Gpu = { Enabled = false } });

        var cpu = Assert.Single(set.Devices, d => d.Counted && d.Component == ComponentKind.Cpu);
        Assert.Equal(EstimateSource.CpuDeviceId, cpu.Id);
        Assert.Contains(set.Issues, i => i.Problem.Contains("CPU energy is ESTIMATED", StringComparison.Ordinal));
        Assert.Contains(set.Issues, i => i.Problem.Contains("memory energy is ESTIMATED", StringComparison.Ordinal));

        var buffer = set.NewSampleBuffer();
        set.Sample(0, buffer);
        set.Sample(0.2, buffer);
        Assert.All(buffer, s => Assert.Equal(Provenance.Estimated, s.Provenance));
    }

    [Fact]
    public void Permission_denied_falls_back_to_estimates_loudly_never_silently()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var set = SourceSet.Open(new SourceSetOptions
        {
            SysfsRoot = f.Root,
            Gpu = { Enabled = false },
            FileOpener = new DenyingOpener(p => p.EndsWith("energy_uj", StringComparison.Ordinal)),
        });
        Assert.Contains(set.Devices, d => d.Id == EstimateSource.CpuDeviceId);
        Assert.Contains(set.Issues, i => i.Problem.Contains("CVE-2020-8694", StringComparison.Ordinal));
        Assert.Contains(set.Issues, i => i.Problem.Contains("ESTIMATED", StringComparison.Ordinal));
    }

    [Fact]
    public void With_rapl_nothing_is_estimated()
    {
        using var f = SysfsFixture.TwoSocketXeon();
        using var set = SourceSet.Open(new SourceSetOptions { SysfsRoot = f.Root, Gpu = { Enabled = false } });
        Assert.DoesNotContain(set.Devices, d => d.Source == EstimateSource.SourceName);
        Assert.Empty(set.Issues);
    }

    [Fact]
    public void Amd_without_dram_zone_measures_cpu_and_estimates_only_memory()
    {
        using var f = new SysfsFixture().Zone("intel-rapl:0", "package-0", 0).Zone("intel-rapl:0:0", "core", 0);
        using var set = SourceSet.Open(new SourceSetOptions { SysfsRoot = f.Root, Gpu = { Enabled = false } });
        Assert.DoesNotContain(set.Devices, d => d.Id == EstimateSource.CpuDeviceId);
        Assert.Contains(set.Devices, d => d.Id == EstimateSource.RamDeviceId);
    }

    [Fact]
    public void Estimated_cpu_energy_follows_measured_utilisation()
    {
        using var proc = new TempDirectory("coca-proc");
        File.WriteAllText(proc.Combine("cpuinfo"), "processor\t: 0\nmodel name\t: AMD EPYC 7763 64-Core Processor\nphysical id\t: 0\ncore id\t: 0\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\nphysical id\t: 0\ncore id\t: 1\n");
        File.WriteAllText(proc.Combine("meminfo"), "MemTotal:       16000000 kB\n");
        File.WriteAllText(proc.Combine("stat"), "cpu  0 0 0 0 0 0 0 0 0 0\n");
        using var source = new EstimateSource(proc.Path, cpu: true, ram: true);
        var buffer = new DeviceSample[2];
        source.Sample(0, buffer);
        File.WriteAllText(proc.Combine("stat"), "cpu  50 0 0 150 0 0 0 0 0 0\n"); // 25 % busy
        source.Sample(10, buffer);

        var maxWatts = 280.0 / 64 * 2;
        Assert.Equal(maxWatts * 0.25 * 10, buffer[0].EnergyUj / 1e6, 3);
        Assert.Equal(16000000L * 1024 / 1e9 * 0.3725 * 10, buffer[1].EnergyUj / 1e6, 3);
        Assert.Equal(0.25, buffer[0].Utilisation, 9);
    }
}
