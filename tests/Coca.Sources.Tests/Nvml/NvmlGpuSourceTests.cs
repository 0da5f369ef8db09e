using System.Runtime.InteropServices;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Gpu;
using Coca.Sources.Nvml;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Nvml;

/// <summary>One NVML test library per process (the runtime binds P/Invokes once): this class owns it, and its tests run one at a time.</summary>
public sealed class SharedFakeNvml : IDisposable
{
    public FakeNvml Nvml { get; } = new();

    public void Dispose() => Nvml.Dispose();
}

public class NvmlGpuSourceTests(SharedFakeNvml shared) : IClassFixture<SharedFakeNvml>
{
    private readonly FakeNvml _nvml = shared.Nvml;

    private NvmlGpuSource Open(string? cudaVisibleDevices = null, params FakeGpu[] gpus)
    {
        _nvml.Gpus.Clear();
        _nvml.Gpus.AddRange(gpus);
        _nvml.GlobalReturnCodes.Clear();
        _nvml.Write();
        return new NvmlGpuSource(new GpuSourceOptions { NvmlLibrary = _nvml.LibraryPath, CudaVisibleDevices = cudaVisibleDevices });
    }

    private static DeviceSample[] Sample(NvmlGpuSource s, double t)
    {
        var buffer = new DeviceSample[s.Devices.Count];
        s.Sample(t, buffer);
        return buffer;
    }

    [Fact]
    public void Energy_counter_is_measured_per_gpu_identified_by_uuid()
    {
        using var s = Open(null, FakeNvml.Gpu(0, 1_000_000), FakeNvml.Gpu(1, 50));
        Assert.True(s.IsAvailable, s.LoadProblem);
        Assert.Equal("550.54.15", s.DriverVersion);
        var first = Sample(s, 0);
        _nvml.Gpus[0].EnergyMj = 1_250_000;
        _nvml.Gpus[1].EnergyMj = 100_050;
        _nvml.Write();
        var second = Sample(s, 1);

        Assert.Equal(["gpu:" + FakeNvml.Gpu(0).Uuid, "gpu:" + FakeNvml.Gpu(1).Uuid], s.Devices.Select(d => d.Id));
        Assert.Equal(250_000_000L, second[0].EnergyUj - first[0].EnergyUj);
        Assert.Equal(100_000_000L, second[1].EnergyUj - first[1].EnergyUj);
        Assert.Equal(Provenance.Measured, second[0].Provenance);
        Assert.Equal(250.0, second[0].PowerW); // from the counter over the interval, not from a second call into NVML
        var info = s.Devices[1];
        Assert.Equal("00000000:27:00.0", info.Attributes["pci_bus_id"]);
        Assert.Equal("1", info.Attributes["nvml_index"]);
        Assert.Equal("700", info.Attributes["power_limit_w"]);
        Assert.Equal("supported", info.Attributes["energy_counter"]);
    }

    [Fact]
    public void First_sample_reads_power_from_nvml_later_ones_from_the_counter_and_every_gauge_only_when_asked()
    {
        var gpu = FakeNvml.Gpu(0, 1_000_000);
        gpu.PowerMw = 90_000;
        gpu.MemUsed = 4_000_000_000;
        using var s = Open(null, gpu);
        var first = Sample(s, 0);
        Assert.Equal(90.0, first[0].PowerW);      // no interval yet: NVML's own reading
        Assert.True(double.IsNaN(first[0].MemoryUsedBytes)); // the agent and `coca run` do not ask for it
        _nvml.Gpus[0].EnergyMj = 1_600_000;
        _nvml.Write();
        Assert.Equal(300.0, Sample(s, 2)[0].PowerW); // 600 J over 2 s

        using var sensors = new NvmlGpuSource(new GpuSourceOptions { NvmlLibrary = _nvml.LibraryPath, ReadEveryGauge = true });
        Assert.Equal(4_000_000_000.0, Sample(sensors, 0)[0].MemoryUsedBytes);
        _nvml.Gpus[0].EnergyMj = 1_700_000;
        _nvml.Write();
        Assert.Equal(90.0, Sample(sensors, 1)[0].PowerW); // NVML's own reading, as `coca sensors` shows it
    }

    [Fact]
    public void Without_energy_counter_power_is_integrated_and_labelled_derived()
    {
        var gpu = FakeNvml.Gpu(0);
        gpu.PowerMw = 150_000;
        gpu.ReturnCodes["nvmlDeviceGetTotalEnergyConsumption"] = 3; // NOT_SUPPORTED (pre-Volta)
        using var s = Open(null, gpu);
        Sample(s, 0);
        var second = Sample(s, 2);

        Assert.Equal(300_000_000L, second[0].EnergyUj);
        Assert.Equal(Provenance.Derived, second[0].Provenance);
        Assert.Equal("not supported", s.Devices[0].Attributes["energy_counter"]);
        Assert.Contains("misses", s.Devices[0].Note);
    }

    [Fact]
    public void Gpu_lost_keeps_what_was_measured_and_the_others_carry_on()
    {
        using var s = Open(null, FakeNvml.Gpu(0, 0), FakeNvml.Gpu(1, 0));
        Sample(s, 0);
        _nvml.Gpus[0].EnergyMj = 10_000;
        _nvml.Gpus[1].EnergyMj = 10_000;
        _nvml.Write();
        var before = Sample(s, 1);
        _nvml.Gpus[0].Lost = true;
        _nvml.Gpus[0].EnergyMj = 99_000;
        _nvml.Gpus[1].EnergyMj = 30_000;
        _nvml.Write();
        var after = Sample(s, 2);

        Assert.Equal(DeviceState.Lost, after[0].State);
        Assert.Equal(before[0].EnergyUj, after[0].EnergyUj);
        Assert.Equal(30_000_000L, after[1].EnergyUj);
        Assert.Contains(s.Issues, i => i.Problem.Contains("NVML_ERROR_GPU_IS_LOST", StringComparison.Ordinal));
        Assert.Equal(DeviceState.Lost, Sample(s, 3)[0].State); // stays lost, no more calls on it
    }

    [Fact]
    public void Counter_going_back_is_a_driver_reload_never_negative_energy()
    {
        using var s = Open(null, FakeNvml.Gpu(0, 5_000_000));
        Sample(s, 0);
        _nvml.Gpus[0].EnergyMj = 5_100_000;
        _nvml.Write();
        Sample(s, 1);
        _nvml.Gpus[0].EnergyMj = 400; // reloaded: 400 mJ since the reload
        _nvml.Write();
        var after = Sample(s, 2);
        Assert.Equal(100_400_000L, after[0].EnergyUj);
    }

    [Fact]
    public void Running_processes_use_the_two_call_pattern()
    {
        var gpu = FakeNvml.Gpu(0);
        gpu.Procs = "1234:1048576,5678:2048:1:0";
        using var s = Open(null, gpu, FakeNvml.Gpu(1));
        var details = s.ReadDetails();
        Assert.Equal([(1234, 1048576UL), (5678, 2048UL)], details[0].Processes.Select(p => (p.Pid, p.UsedMemoryBytes)));
        Assert.Equal(1u, details[0].Processes[1].GpuInstanceId);
        Assert.Empty(details[1].Processes);
        Assert.Equal(40.0, details[0].TemperatureC);
    }

    [Fact]
    public void Mig_instances_are_listed_with_their_share_and_charged_when_selected()
    {
        var gpu = FakeNvml.Gpu(0, 0);
        gpu.Mig.Add(("MIG-aaaa1111-0000-0000-0000-000000000000", 3));
        gpu.Mig.Add(("MIG-bbbb2222-0000-0000-0000-000000000000", 4));
        using var s = Open("MIG-bbbb2222", gpu);
        Assert.Equal(3, s.Devices.Count);
        var parent = s.Devices[0];
        Assert.False(parent.Counted);
        var selected = s.Devices.Single(d => d.Id == "gpu:MIG-bbbb2222-0000-0000-0000-000000000000");
        Assert.True(selected.Counted);
        Assert.Contains("4/7", selected.Note);
        Sample(s, 0);
        _nvml.Gpus[0].EnergyMj = 70_000;
        _nvml.Write();
        var after = Sample(s, 1);
        Assert.Equal(40_000_000L, after[2].EnergyUj);
        Assert.Equal(Provenance.Derived, after[2].Provenance);
    }

    [Fact]
    public void Cuda_visible_devices_marks_only_the_given_gpus_counted()
    {
        using var s = Open("GPU-00000001", FakeNvml.Gpu(0), FakeNvml.Gpu(1), FakeNvml.Gpu(2));
        Assert.Equal([false, true, false], s.Devices.Select(d => d.Counted));
        Assert.Contains("not visible", s.Devices[0].Note);
    }

    [Fact]
    public void Driver_not_loaded_disables_the_source_with_its_name()
    {
        _nvml.Gpus.Clear();
        _nvml.GlobalReturnCodes["nvmlInit_v2"] = 9;
        _nvml.Write();
        using var s = new NvmlGpuSource(new GpuSourceOptions { NvmlLibrary = _nvml.LibraryPath });
        Assert.False(s.IsAvailable);
        Assert.Contains("NVML_ERROR_DRIVER_NOT_LOADED", s.LoadProblem);
        Assert.Empty(s.Devices);
    }

    [Fact]
    public void A_tick_allocates_nothing()
    {
        using var s = Open(null, FakeNvml.Gpu(0, 0), FakeNvml.Gpu(1, 0));
        var buffer = new DeviceSample[s.Devices.Count];
        for (var i = 0; i < 10; i++) s.Sample(i, buffer); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10; i < 1010; i++) s.Sample(i, buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Structs_have_nvml_layouts()
    {
        Assert.Equal(24, Marshal.SizeOf<NvmlProcessInfo>());
        Assert.Equal(68, Marshal.SizeOf<NvmlPciInfo>());
        Assert.Equal(40, Marshal.SizeOf<NvmlDeviceAttributes>());
        Assert.Equal(24, Marshal.SizeOf<NvmlMemory>());
    }

    [Theory]
    [InlineData(NvmlReturn.GpuIsLost, "NVML_ERROR_GPU_IS_LOST")]
    [InlineData(NvmlReturn.DriverNotLoaded, "NVML_ERROR_DRIVER_NOT_LOADED")]
    [InlineData(NvmlReturn.NotSupported, "NVML_ERROR_NOT_SUPPORTED")]
    [InlineData(NvmlReturn.LibRmVersionMismatch, "NVML_ERROR_LIB_RM_VERSION_MISMATCH")]
    public void Return_codes_have_their_header_names(NvmlReturn rc, string name)
    {
        Assert.Equal(name, rc.ToNvmlName());
    }
}
