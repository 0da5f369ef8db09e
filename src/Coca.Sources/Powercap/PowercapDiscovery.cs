namespace Coca.Sources.Powercap;

/// <summary>
/// Finds RAPL zones under <c>&lt;sysfs-root&gt;/class/powercap</c>, where the kernel links every
/// zone and sub-zone flat (<c>intel-rapl:0</c>, <c>intel-rapl:0:0</c>) to its nested place under
/// <c>devices/virtual/powercap</c>. Only the flat list is read, so nothing is found twice.
/// </summary>
public static class PowercapDiscovery
{
    public static string PowercapDirectory(string sysfsRoot) => Path.Combine(sysfsRoot, "class", "powercap");

    public static IReadOnlyList<RaplZone> Discover(string sysfsRoot)
    {
        var dir = PowercapDirectory(sysfsRoot);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var entries = Directory.EnumerateFileSystemEntries(dir)
            .Select(p => (Path: p, Name: System.IO.Path.GetFileName(p)))
            .Where(e => e.Name.StartsWith("intel-rapl", StringComparison.Ordinal) && File.Exists(System.IO.Path.Combine(e.Path, "energy_uj")))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();

        var zones = new List<RaplZone>();
        foreach (var (path, name) in entries)
        {
            var zoneName = Io.SysfsReader.TryReadText(System.IO.Path.Combine(path, "name")) ?? name;
            var parentName = ParentZoneName(dir, name);
            var role = RoleOf(zoneName);
            zones.Add(new RaplZone(
                path,
                name,
                zoneName,
                DeviceIdOf(zoneName, role, parentName),
                role,
                name.StartsWith("intel-rapl-mmio", StringComparison.Ordinal),
                Io.SysfsReader.TryReadUInt64(System.IO.Path.Combine(path, "max_energy_range_uj")),
                MaxConstraintPower(path)));
        }
        return zones;
    }

    internal static RaplZoneRole RoleOf(string zoneName) => zoneName switch
    {
        _ when zoneName.StartsWith("package-", StringComparison.Ordinal) => RaplZoneRole.Package,
        "dram" => RaplZoneRole.Dram,
        "core" => RaplZoneRole.Core,
        "uncore" => RaplZoneRole.Uncore,
        _ when zoneName.StartsWith("psys", StringComparison.Ordinal) => RaplZoneRole.Psys,
        _ => RaplZoneRole.Unknown,
    };

    // Sub-zones are named after their role only ("dram"); they take their package's suffix:
    // dram under package-1 is dram-1, under package-0-die-1 it is dram-0-die-1.
    internal static string DeviceIdOf(string zoneName, RaplZoneRole role, string? parentZoneName)
    {
        if (role is RaplZoneRole.Package or RaplZoneRole.Psys || parentZoneName is null)
        {
            return zoneName;
        }
        var suffix = parentZoneName.StartsWith("package-", StringComparison.Ordinal) ? parentZoneName["package-".Length..] : parentZoneName;
        return $"{zoneName}-{suffix}";
    }

    private static string? ParentZoneName(string powercapDir, string directoryName)
    {
        // intel-rapl:0:2 → intel-rapl:0 ; top-level zones (one colon) have no parent.
        var first = directoryName.IndexOf(':');
        var last = directoryName.LastIndexOf(':');
        if (first < 0 || first == last)
        {
            return null;
        }
        return Io.SysfsReader.TryReadText(System.IO.Path.Combine(powercapDir, directoryName[..last], "name"));
    }

    private static ulong? MaxConstraintPower(string zonePath)
    {
        ulong? best = null;
        for (var i = 0; i < 4; i++)
        {
            if (Io.SysfsReader.TryReadUInt64(System.IO.Path.Combine(zonePath, $"constraint_{i}_max_power_uw")) is { } p && p > 0)
            {
                best = Math.Max(best ?? 0, p);
            }
        }
        return best;
    }
}
