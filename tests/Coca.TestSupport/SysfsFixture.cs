using System.Globalization;

namespace Coca.TestSupport;

/// <summary>
/// Builds a powercap tree the way the kernel lays it out: zones nested under
/// <c>devices/virtual/powercap/intel-rapl</c>, each linked flat from <c>class/powercap</c>.
/// Counter files are rewritten in place between ticks, as the kernel's would change.
/// </summary>
public sealed class SysfsFixture : IDisposable
{
    public const ulong RealMaxEnergyRangeUj = 262_143_328_850; // a real Xeon package's max_energy_range_uj
    private readonly TempDirectory _dir = new("coca-sysfs");
    private readonly Dictionary<string, string> _zonePaths = new(StringComparer.Ordinal);

    public SysfsFixture()
    {
        Directory.CreateDirectory(ClassPowercap);
    }

    public string Root => _dir.Path;
    public string ClassPowercap => System.IO.Path.Combine(Root, "class", "powercap");

    /// <summary>Adds a zone. <paramref name="directoryName"/> is <c>intel-rapl:0</c>, <c>intel-rapl:0:1</c> or <c>intel-rapl-mmio:0</c>.</summary>
    public SysfsFixture Zone(string directoryName, string name, ulong energyUj, ulong? maxRangeUj = RealMaxEnergyRangeUj, ulong? maxPowerUw = 150_000_000)
    {
        var control = directoryName.StartsWith("intel-rapl-mmio", StringComparison.Ordinal) ? "intel-rapl-mmio" : "intel-rapl";
        var parts = directoryName.Split(':');
        string nested;
        if (parts.Length == 3)
        {
            var parent = $"{parts[0]}:{parts[1]}";
            nested = System.IO.Path.Combine(_zonePaths[parent], directoryName);
        }
        else
        {
            nested = System.IO.Path.Combine(Root, "devices", "virtual", "powercap", control, directoryName);
        }
        Directory.CreateDirectory(nested);
        File.WriteAllText(System.IO.Path.Combine(nested, "name"), name + "\n");
        File.WriteAllText(System.IO.Path.Combine(nested, "enabled"), "1\n");
        if (maxRangeUj is { } max) File.WriteAllText(System.IO.Path.Combine(nested, "max_energy_range_uj"), max.ToString(CultureInfo.InvariantCulture) + "\n");
        if (maxPowerUw is { } power)
        {
            File.WriteAllText(System.IO.Path.Combine(nested, "constraint_0_name"), "long_term\n");
            File.WriteAllText(System.IO.Path.Combine(nested, "constraint_0_max_power_uw"), power.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        _zonePaths[directoryName] = nested;
        SetEnergy(directoryName, energyUj);
        var control_link = System.IO.Path.Combine(ClassPowercap, directoryName);
        if (!Path.Exists(control_link)) File.CreateSymbolicLink(control_link, nested);
        return this;
    }

    public string EnergyFile(string directoryName) => System.IO.Path.Combine(_zonePaths[directoryName], "energy_uj");

    /// <summary>Rewrites the counter in place (same inode), as a kernel attribute changes under an open handle.</summary>
    public void SetEnergy(string directoryName, ulong energyUj)
    {
        using var stream = new FileStream(EnergyFile(directoryName), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        var bytes = System.Text.Encoding.ASCII.GetBytes(energyUj.ToString(CultureInfo.InvariantCulture) + "\n");
        // Overwritten in one write, then trimmed: truncating first would let a reader see an empty file.
        stream.Write(bytes);
        stream.SetLength(bytes.Length);
    }

    /// <summary>A typical two-socket Xeon: package-N with core and dram sub-zones.</summary>
    public static SysfsFixture TwoSocketXeon(ulong start = 1_000_000)
    {
        var f = new SysfsFixture();
        for (var p = 0; p < 2; p++)
        {
            f.Zone($"intel-rapl:{p}", $"package-{p}", start)
             .Zone($"intel-rapl:{p}:0", "core", start / 2, maxPowerUw: null)
             .Zone($"intel-rapl:{p}:1", "dram", start / 4, RealMaxEnergyRangeUj, maxPowerUw: null);
        }
        return f;
    }

    public void Dispose() => _dir.Dispose();
}
