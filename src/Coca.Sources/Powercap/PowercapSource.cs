using System.Globalization;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Io;
using Microsoft.Win32.SafeHandles;

namespace Coca.Sources.Powercap;

/// <summary>
/// CPU package and DRAM energy from RAPL through Linux powercap. Counts packages (and each die of
/// a multi-die package) as CPU and <c>dram</c> zones as memory; reports <c>core</c>, <c>uncore</c>
/// and <c>psys</c> without adding them; counts a zone seen through both MSR and MMIO once.
/// </summary>
public sealed class PowercapSource : IEnergySource
{
    public const string SourceName = "rapl";

    public const string PermissionFix =
        "run as root, or let this user read the counters: `sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj` " +
        "(until reboot) or the udev rule in the README (section 'Reading RAPL without root')";

    private readonly Zone[] _zones;
    private readonly List<SourceIssue> _issues = [];
    private double _lastSeconds = double.NaN;

    public PowercapSource(string sysfsRoot = "/sys", IFileOpener? opener = null)
    {
        opener ??= RealFileOpener.Instance;
        var found = PowercapDiscovery.Discover(sysfsRoot);
        if (found.Count == 0)
        {
            _issues.Add(new SourceIssue(SourceName,
                $"no RAPL zones under {PowercapDirectory(sysfsRoot)} (virtual machine, non-x86 CPU, or the intel_rapl_common module not loaded)",
                "on bare-metal x86, `sudo modprobe intel_rapl_msr`; otherwise CPU and memory energy are estimated"));
        }

        var zones = new List<Zone>();
        foreach (var zone in found)
        {
            SafeFileHandle? handle = null;
            try
            {
                handle = opener.OpenRead(zone.EnergyFile);
            }
            catch (UnauthorizedAccessException)
            {
                _issues.Add(new SourceIssue(SourceName,
                    $"cannot read {zone.EnergyFile}: permission denied (energy_uj is root-only since Linux 5.10, CVE-2020-8694)",
                    PermissionFix));
            }
            catch (IOException e)
            {
                _issues.Add(new SourceIssue(SourceName, $"cannot read {zone.EnergyFile}: {e.Message}"));
            }
            if (handle is not null && !SysfsReader.TryReadUInt64(handle, out _))
            {
                _issues.Add(new SourceIssue(SourceName,
                    $"cannot read {zone.EnergyFile}: permission denied or not a number (energy_uj is root-only since Linux 5.10, CVE-2020-8694)",
                    PermissionFix));
                handle.Dispose();
                handle = null;
            }
            if (handle is not null)
            {
                zones.Add(new Zone(zone, handle));
            }
        }

        _zones = MarkDuplicates(zones);
        Devices = _zones.Select(z => z.Info).ToArray();
    }

    public static string PowercapDirectory(string sysfsRoot) => PowercapDiscovery.PowercapDirectory(sysfsRoot);

    public string Name => SourceName;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues => _issues;

    /// <summary>The zones that could be opened, with their wrap figures, for <c>coca sensors</c>.</summary>
    public IEnumerable<RaplZone> Zones => _zones.Select(z => z.Raw);

    /// <summary>True when at least one package zone is readable.</summary>
    public bool MeasuresCpu => _zones.Any(z => z.Info.Counted && z.Raw.Role == RaplZoneRole.Package);

    /// <summary>True when at least one DRAM zone is readable.</summary>
    public bool MeasuresDram => _zones.Any(z => z.Info.Counted && z.Raw.Role == RaplZoneRole.Dram);

    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        var dt = double.IsNaN(_lastSeconds) ? 0 : monotonicSeconds - _lastSeconds;
        _lastSeconds = monotonicSeconds;
        for (var i = 0; i < _zones.Length; i++)
        {
            _zones[i].Read(dt, ref into[i]);
        }
    }

    public void Dispose()
    {
        foreach (var z in _zones)
        {
            z.Handle.Dispose();
        }
    }

    private static Zone[] MarkDuplicates(List<Zone> zones)
    {
        // The MSR interface (intel-rapl:N) wins over MMIO (intel-rapl-mmio:N) for the same zone name.
        var winners = zones
            .GroupBy(z => z.Raw.DeviceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(z => z.Raw.IsMmio).ThenBy(z => z.Raw.DirectoryName, StringComparer.Ordinal).First());
        foreach (var z in zones)
        {
            var winner = winners[z.Raw.DeviceId];
            if (!ReferenceEquals(winner, z))
            {
                z.MarkDuplicateOf(winner.Raw.DirectoryName);
            }
        }
        return zones.ToArray();
    }

    private sealed class Zone
    {
        private readonly EnergyCounter _counter;

        public Zone(RaplZone raw, SafeFileHandle handle)
        {
            Raw = raw;
            Handle = handle;
            _counter = new EnergyCounter(raw.MaxEnergyRangeUj);
            Info = BuildInfo(raw, counted: raw.Role is RaplZoneRole.Package or RaplZoneRole.Dram, duplicateOf: null);
        }

        public RaplZone Raw { get; }
        public SafeFileHandle Handle { get; }
        public DeviceInfo Info { get; private set; }

        public void MarkDuplicateOf(string other) => Info = BuildInfo(Raw, counted: false, duplicateOf: other);

        public void Read(double dt, ref DeviceSample sample)
        {
            var before = _counter.Total;
            if (!SysfsReader.TryReadUInt64(Handle, out var raw))
            {
                sample.State = DeviceState.Unreadable;
                sample.Provenance = Provenance.None;
                sample.PowerW = double.NaN;
                return;
            }
            sample.Event = _counter.Advance(raw, PlausibleStep.MaxDelta(Info.MaxPowerW, dt, Info.CounterUnitUj)).Event;
            sample.RawCounter = raw;
            sample.State = DeviceState.Ok;
            sample.Provenance = Provenance.Measured;
            sample.EnergyUj = (long)_counter.Total;
            sample.PowerW = dt > 0 ? (_counter.Total - before) / dt / 1_000_000.0 : double.NaN;
        }

        private static DeviceInfo BuildInfo(RaplZone raw, bool counted, string? duplicateOf)
        {
            var component = raw.Role switch
            {
                RaplZoneRole.Package or RaplZoneRole.Core or RaplZoneRole.Uncore => ComponentKind.Cpu,
                RaplZoneRole.Dram => ComponentKind.Dram,
                _ => ComponentKind.Other,
            };
            var note = duplicateOf is not null
                ? $"same zone as {duplicateOf} read through MMIO: counted once, there"
                : raw.Role switch
                {
                    RaplZoneRole.Core or RaplZoneRole.Uncore => "inside its package: reported, never added",
                    RaplZoneRole.Psys => "whole platform (SoC), a superset of package and DRAM: reported separately, never added",
                    RaplZoneRole.Unknown => "zone name not known to this version: reported, never added",
                    _ => null,
                };
            var attributes = new Dictionary<string, string>
            {
                ["zone"] = raw.DirectoryName,
                ["name"] = raw.ZoneName,
            };
            if (raw.MaxEnergyRangeUj is { } range) attributes["max_energy_range_uj"] = range.ToString(CultureInfo.InvariantCulture);
            if (raw.MaxPowerUw is { } power) attributes["max_power_uw"] = power.ToString(CultureInfo.InvariantCulture);
            return new DeviceInfo(raw.DeviceId, component, counted, SourceName, $"RAPL {raw.ZoneName} ({raw.DirectoryName})")
            {
                Note = note,
                CounterUnitUj = 1,
                CounterMax = raw.MaxEnergyRangeUj,
                MaxPowerW = raw.MaxPowerUw / 1e6,
                Attributes = attributes,
            };
        }
    }
}
