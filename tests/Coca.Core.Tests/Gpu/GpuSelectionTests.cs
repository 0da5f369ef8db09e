using Coca.Core.Gpu;

namespace Coca.Core.Tests.Gpu;

public class GpuSelectionTests
{
    // NVML numbers these 0, 1, 2 but their PCI bus order is b (0x17), c (0x3a), a (0xb1).
    private static readonly GpuIdentity A = new("GPU-aaaa-1", "00000000:B1:00.0", 0, "H100", []);
    private static readonly GpuIdentity B = new("GPU-bbbb-2", "00000000:17:00.0", 1, "H100", []);
    private static readonly GpuIdentity C = new("GPU-cccc-3", "0000:3A:00.0", 2, "H100",
        [new MigInstance("MIG-1111-a", 3, 7), new MigInstance("MIG-2222-b", 4, 7)]);
    private static readonly GpuIdentity[] All = [A, B, C];

    [Fact]
    public void Unset_means_every_gpu_and_says_so()
    {
        var s = GpuSelection.FromCudaVisibleDevices(null, All);
        Assert.Equal(3, s.WholeGpus.Count);
        Assert.Contains("not set", s.Description);
    }

    [Fact]
    public void Set_and_empty_means_none()
    {
        var s = GpuSelection.FromCudaVisibleDevices("", All);
        Assert.Empty(s.WholeGpus);
        Assert.Empty(s.MigShares);
    }

    [Fact]
    public void Indices_count_gpus_in_pci_bus_order_not_nvml_order()
    {
        var s = GpuSelection.FromCudaVisibleDevices("0,2", All);
        Assert.Equal(new HashSet<string> { B.Uuid, A.Uuid }, s.WholeGpus);
    }

    [Fact]
    public void Uuids_and_unique_prefixes_select_gpus()
    {
        var s = GpuSelection.FromCudaVisibleDevices("GPU-cccc,GPU-aaaa-1", All);
        Assert.Equal(new HashSet<string> { C.Uuid, A.Uuid }, s.WholeGpus);
    }

    [Fact]
    public void Mig_uuid_charges_its_share_of_the_parent()
    {
        var s = GpuSelection.FromCudaVisibleDevices("MIG-2222", All);
        Assert.Empty(s.WholeGpus);
        Assert.Equal(4.0 / 7, s.MigShares["MIG-2222-b"], 9);
    }

    [Fact]
    public void Whole_parent_and_its_mig_instance_are_not_counted_twice()
    {
        var s = GpuSelection.FromCudaVisibleDevices("MIG-1111-a,GPU-cccc-3", All);
        Assert.Contains(C.Uuid, s.WholeGpus);
        Assert.Empty(s.MigShares);
    }

    [Fact]
    public void First_unknown_entry_hides_it_and_everything_after_it_as_cuda_does()
    {
        var s = GpuSelection.FromCudaVisibleDevices("1,7,0", All);
        Assert.Equal(new HashSet<string> { C.Uuid }, s.WholeGpus);
        Assert.Contains("'7'", Assert.Single(s.Warnings));
    }

    [Fact]
    public void Ambiguous_prefix_names_no_gpu()
    {
        var s = GpuSelection.FromCudaVisibleDevices("GPU-", All);
        Assert.Empty(s.WholeGpus);
        Assert.Single(s.Warnings);
    }

    [Theory]
    [InlineData("00000000:17:00.0", "0000:17:00.0")]
    [InlineData("00000000:3A:00.0", "0000:3a:00.0")]
    public void Pci_bus_ids_compare_across_formats(string a, string b)
    {
        Assert.Equal(GpuSelection.NormalisePci(a), GpuSelection.NormalisePci(b));
    }
}
