using System.Text.Json;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca run</c> and <c>coca sensors</c> against the NVML test library, each coca in its own process.</summary>
public class GpuRunTests
{
    private static FakeNvml FourGpus(FakeNvmlVariant variant = FakeNvmlVariant.Full)
    {
        var nvml = new FakeNvml(variant);
        for (var i = 0; i < 4; i++) nvml.Gpus.Add(FakeNvml.Gpu(i, energyMj: 1_000_000 * (ulong)(i + 1)));
        nvml.Write();
        return nvml;
    }

    // The measured command itself moves the GPU counters, so the truth is known exactly: +100, +250,
    // +300, +400 J, each plausible within one 0.2 s tick of a 700 W GPU (more would be rejected).
    private static string[] RunArgs(FakeNvml nvml, params string[] extra) =>
    [
        "run", "--json", "--no-csv", "--interval", "0.2", "--nvml-lib", nvml.LibraryPath, .. extra, "--", "sh", "-c",
        string.Join("; ", "sleep 0.5", nvml.ShellSetEnergy(0, 1_100_000), nvml.ShellSetEnergy(1, 2_250_000),
            nvml.ShellSetEnergy(2, 3_300_000), nvml.ShellSetEnergy(3, 4_400_000), "sleep 0.5"),
    ];

    private static Dictionary<string, JsonElement> Devices(JsonElement json) =>
        json.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!);

    [Theory]
    [InlineData("1,3")]                                       // CUDA indices (PCI bus order)
    [InlineData("GPU-00000001-1111-2222-3333-444444444444,GPU-00000003")] // UUID and unique prefix
    public void Charges_exactly_the_gpus_in_cuda_visible_devices_at_counter_energy(string visible)
    {
        using var nvml = FourGpus();
        var r = CocaProcess.Run(RunArgs(nvml), new Dictionary<string, string> { ["CUDA_VISIBLE_DEVICES"] = visible });

        Assert.Equal(0, r.ExitCode);
        var json = r.Json;
        // GPU 1: 250 J, GPU 3: 400 J; GPUs 0 and 2 are not the command's.
        Assert.Equal(650.0, json.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
        Assert.Equal(650.0, json.GetProperty("attributed_j").GetProperty("gpu").GetDouble(), 6);
        Assert.Equal("measured", json.GetProperty("provenance").GetProperty("gpu").GetString());
        var devices = Devices(json);
        Assert.True(devices["gpu:" + FakeNvml.Gpu(1).Uuid].GetProperty("counted").GetBoolean());
        Assert.False(devices["gpu:" + FakeNvml.Gpu(0).Uuid].GetProperty("counted").GetBoolean());
        Assert.Equal(100.0, devices["gpu:" + FakeNvml.Gpu(0).Uuid].GetProperty("energy_j").GetDouble(), 6); // reported, not charged
        Assert.Contains("CUDA_VISIBLE_DEVICES", json.GetProperty("gpu_selection").GetString());
    }

    [Fact]
    public void Without_cuda_visible_devices_every_gpu_counts_and_it_says_so()
    {
        using var nvml = FourGpus();
        var json = CocaProcess.Run(RunArgs(nvml)).Json;
        Assert.Equal(100 + 250 + 300 + 400, json.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
        Assert.Contains("all 4 GPU(s)", json.GetProperty("gpu_selection").GetString());
        Assert.Equal(1, json.GetProperty("machine").GetProperty("gpu_count").GetInt32() / 4);
    }

    [Theory]
    [InlineData(FakeNvmlVariant.NoPower, "nvmlDeviceGetPowerUsage")]
    [InlineData(FakeNvmlVariant.Full, "no such file")]
    public void Broken_or_missing_nvml_warns_and_the_command_is_still_measured(FakeNvmlVariant variant, string reason)
    {
        using var nvml = FourGpus(variant);
        var path = reason == "no such file" ? nvml.LibraryPath + ".missing" : nvml.LibraryPath;
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--nvml-lib", path, "--nvidia-smi", "/nonexistent/nvidia-smi", "--", "sh", "-c", "exit 4"]);

        Assert.Equal(4, r.ExitCode);
        var json = r.Json;
        Assert.Equal("none", json.GetProperty("provenance").GetProperty("gpu").GetString());
        Assert.True(json.GetProperty("energy_j").GetProperty("dram").GetDouble() > 0);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains(reason, StringComparison.Ordinal));
        Assert.Contains(reason, r.Stderr);
    }

    [Fact]
    public void Driver_not_loaded_is_one_clear_warning_not_an_exception()
    {
        using var nvml = FourGpus();
        nvml.GlobalReturnCodes["nvmlInit_v2"] = 9;
        nvml.Write();
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--nvml-lib", nvml.LibraryPath, "--nvidia-smi", "/nonexistent/nvidia-smi", "--", "true"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("NVML_ERROR_DRIVER_NOT_LOADED", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    [Fact]
    public void Missing_optional_mig_symbols_degrade_with_a_warning()
    {
        using var nvml = new FakeNvml(FakeNvmlVariant.NoMig);
        var gpu = FakeNvml.Gpu(0, 0);
        gpu.Mig.Add(("MIG-aaaa1111-0000-0000-0000-000000000000", 3));
        nvml.Gpus.Add(gpu);
        nvml.Write();
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--nvml-lib", nvml.LibraryPath, "--", "sh", "-c", "sleep 0.3; " + nvml.ShellSetEnergy(0, 42_000)]);
        var json = r.Json;
        Assert.Equal(42.0, json.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 6);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("nvmlDeviceGetMigDeviceHandleByIndex", StringComparison.Ordinal));
    }

    [Fact]
    public void Gpu_lost_mid_run_keeps_its_energy_and_says_so()
    {
        using var nvml = FourGpus();
        var script = string.Join("; ", "sleep 0.5", nvml.ShellSetEnergy(0, 1_200_000), nvml.ShellSetEnergy(1, 2_100_000), "sleep 0.5",
            $"sed -i 's/^gpu0.lost=0/gpu0.lost=1/' '{nvml.StatePath}'", nvml.ShellSetEnergy(0, 9_000_000), nvml.ShellSetEnergy(1, 2_300_000), "sleep 0.5");
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--interval", "0.2", "--nvml-lib", nvml.LibraryPath, "--", "sh", "-c", script],
            new Dictionary<string, string> { ["CUDA_VISIBLE_DEVICES"] = "0,1" });

        Assert.Equal(0, r.ExitCode);
        var devices = Devices(r.Json);
        Assert.Equal(200.0, devices["gpu:" + FakeNvml.Gpu(0).Uuid].GetProperty("energy_j").GetDouble(), 6);
        Assert.Equal(300.0, devices["gpu:" + FakeNvml.Gpu(1).Uuid].GetProperty("energy_j").GetDouble(), 6);
        Assert.Contains(r.Json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("lost", StringComparison.Ordinal));
    }

    [Fact]
    public void Nvidia_smi_fallback_integrates_sampled_power_as_derived()
    {
        using var dir = new TempDirectory();
        var smi = dir.Combine("nvidia-smi");
        File.WriteAllText(smi, "#!/bin/sh\necho '0, GPU-f00d, NVIDIA A100-SXM4-40GB, 00000000:07:00.0, 200.00, 50, 100, 40960'\n");
        File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var r = CocaProcess.Run(["run", "--json", "--no-csv", "--interval", "0.2", "--nvml-lib", dir.Combine("absent.so"), "--nvidia-smi", smi, "--", "sleep", "1"]);

        var json = r.Json;
        Assert.Equal("derived", json.GetProperty("provenance").GetProperty("gpu").GetString());
        var seconds = json.GetProperty("duration_s").GetDouble();
        // 200 W over the sampled span: at most the run's duration, at least most of it.
        Assert.InRange(json.GetProperty("energy_j").GetProperty("gpu").GetDouble(), 200 * (seconds - 0.5), 200 * seconds + 1e-6);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("nvidia-smi", StringComparison.Ordinal));
    }

    [Fact]
    public void Sensors_lists_each_gpu_with_identity_limit_counter_and_a_reading()
    {
        using var nvml = FourGpus();
        nvml.Gpus[2].UtilGpu = 87;
        nvml.Gpus[2].Procs = "4242:1073741824";
        nvml.Gpus[3].ReturnCodes["nvmlDeviceGetTotalEnergyConsumption"] = 3;
        nvml.Write();
        var r = CocaProcess.Run(["sensors", "--json", "--window", "0.1", "--nvml-lib", nvml.LibraryPath]);
        Assert.Equal(0, r.ExitCode);
        var devices = Devices(r.Json);
        var gpu2 = devices["gpu:" + FakeNvml.Gpu(2).Uuid];
        var attributes = gpu2.GetProperty("attributes");
        Assert.Equal("00000000:37:00.0", attributes.GetProperty("pci_bus_id").GetString());
        Assert.Equal("NVIDIA H100 80GB HBM3", attributes.GetProperty("name").GetString());
        Assert.Equal("700", attributes.GetProperty("power_limit_w").GetString());
        Assert.Equal("supported", attributes.GetProperty("energy_counter").GetString());
        Assert.Equal(100.0, gpu2.GetProperty("power_w").GetDouble());
        Assert.Equal(0.87, gpu2.GetProperty("utilisation").GetDouble(), 9);
        Assert.Contains("misses", devices["gpu:" + FakeNvml.Gpu(3).Uuid].GetProperty("note").GetString());
        var details = r.Json.GetProperty("gpus").EnumerateArray().Single(g => g.GetProperty("uuid").GetString() == FakeNvml.Gpu(2).Uuid);
        Assert.Equal(4242, details.GetProperty("processes")[0].GetProperty("pid").GetInt32());
        Assert.Equal("550.54.15", r.Json.GetProperty("nvidia_driver").GetString());
    }
}
