using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Coca.Core.Gpu;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Gpu;

namespace Coca.Sources.Nvml;

/// <summary>
/// NVIDIA GPUs through NVML. Energy from the total-energy counter (<c>measured</c>) where the GPU
/// has one, else sampled power integrated with the trapezoid rule (<c>derived</c>). A GPU is its
/// UUID; MIG instances are listed with the share of their parent they are charged. Never throws
/// once built: a missing library or driver is an issue, a GPU that falls off the bus is marked lost.
/// </summary>
public sealed unsafe class NvmlGpuSource : IEnergySource
{
    public const string SourceName = "nvml";

    private readonly List<SourceIssue> _issues = [];
    private readonly NvmlGpu[] _gpus = [];
    private readonly (int Gpu, double Share)[] _slots = [];
    private readonly bool _initialised;
    private readonly delegate* unmanaged<nint, uint*, NvmlReturn> _maxMigDeviceCount;
    private readonly delegate* unmanaged<nint, uint, nint*, NvmlReturn> _migDeviceHandleByIndex;
    private readonly delegate* unmanaged<nint, NvmlDeviceAttributes*, NvmlReturn> _attributes;
    private readonly bool _everyGauge;
    private double _lastSeconds = double.NaN;

    public NvmlGpuSource(GpuSourceOptions options)
    {
        Devices = [];
        _everyGauge = options.ReadEveryGauge;
        Selection = GpuSelection.FromCudaVisibleDevices(options.CudaVisibleDevices, []);
        if (!NvmlLibrary.TryBind(options.NvmlLibrary, out var library, out var error))
        {
            LoadProblem = error;
            return;
        }
        LibraryPath = options.NvmlLibrary ?? NvmlLibrary.DefaultPath;
        _maxMigDeviceCount = (delegate* unmanaged<nint, uint*, NvmlReturn>)Optional(library, "nvmlDeviceGetMaxMigDeviceCount");
        _migDeviceHandleByIndex = (delegate* unmanaged<nint, uint, nint*, NvmlReturn>)Optional(library, "nvmlDeviceGetMigDeviceHandleByIndex");
        _attributes = (delegate* unmanaged<nint, NvmlDeviceAttributes*, NvmlReturn>)Optional(library, "nvmlDeviceGetAttributes_v2");

        var rc = NvmlNative.Init();
        if (rc != NvmlReturn.Success)
        {
            LoadProblem = $"nvmlInit_v2 failed with {Describe(rc)}" + (rc == NvmlReturn.DriverNotLoaded ? " (the NVIDIA kernel driver is not loaded)" : "");
            return;
        }
        _initialised = true;
        DriverVersion = ReadString((b, n) => NvmlNative.SystemGetDriverVersion(b, n), 80);

        uint count;
        rc = NvmlNative.DeviceGetCount(&count);
        if (rc != NvmlReturn.Success)
        {
            LoadProblem = $"nvmlDeviceGetCount_v2 failed with {Describe(rc)}";
            return;
        }

        var gpus = new List<NvmlGpu>();
        for (uint i = 0; i < count; i++)
        {
            if (Open(i) is { } gpu) gpus.Add(gpu);
        }
        _gpus = gpus.ToArray();
        Selection = GpuSelection.FromCudaVisibleDevices(options.CudaVisibleDevices, _gpus.Select(g => g.Identity).ToList());
        foreach (var w in Selection.Warnings) _issues.Add(new SourceIssue(SourceName, w));

        var devices = new List<DeviceInfo>();
        var slots = new List<(int, double)>();
        for (var g = 0; g < _gpus.Length; g++)
        {
            devices.Add(Describe(_gpus[g]));
            slots.Add((g, 1.0));
            foreach (var m in _gpus[g].Identity.MigInstances)
            {
                devices.Add(DescribeMig(_gpus[g], m));
                slots.Add((g, m.Share));
            }
        }
        Devices = devices;
        _slots = slots.ToArray();
    }

    public string Name => SourceName;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues => _issues;

    /// <summary>Why NVML could not be used at all; null when it could.</summary>
    public string? LoadProblem { get; }

    public bool IsAvailable => LoadProblem is null;
    public string? LibraryPath { get; }
    public string? DriverVersion { get; }
    public GpuSelection Selection { get; }
    public IReadOnlyList<GpuIdentity> Gpus => _gpus.Select(g => g.Identity).ToList();

    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        var dt = double.IsNaN(_lastSeconds) ? 0 : monotonicSeconds - _lastSeconds;
        _lastSeconds = monotonicSeconds;
        var slot = 0;
        for (var g = 0; g < _gpus.Length; g++)
        {
            var gpu = _gpus[g];
            ref var s = ref into[slot++];
            SampleGpu(gpu, monotonicSeconds, dt, ref s);
            for (var m = 0; m < gpu.Identity.MigInstances.Count; m++)
            {
                ref var mig = ref into[slot];
                mig.EnergyUj = (long)(gpu.CumulativeUj * _slots[slot].Share);
                mig.Provenance = s.Provenance == Provenance.None ? Provenance.None : s.Provenance.Combine(Provenance.Derived);
                mig.State = s.State;
                mig.PowerW = s.PowerW * _slots[slot].Share;
                mig.Utilisation = double.NaN;
                mig.MemoryUsedBytes = double.NaN;
                slot++;
            }
        }
    }

    private void SampleGpu(NvmlGpu gpu, double seconds, double dt, ref DeviceSample s)
    {
        s.EnergyUj = gpu.CumulativeUj;
        if (gpu.Lost)
        {
            s.State = DeviceState.Lost;
            s.Provenance = Provenance.None;
            s.PowerW = double.NaN;
            return;
        }

        s.Provenance = Provenance.None;
        s.PowerW = double.NaN;
        if (gpu.CounterSupported)
        {
            ulong millijoules;
            var rc = NvmlNative.DeviceGetTotalEnergyConsumption(gpu.Handle, &millijoules);
            if (rc == NvmlReturn.Success)
            {
                var before = gpu.CumulativeUj;
                s.Event = gpu.Counter.Advance(millijoules, PlausibleStep.MaxDelta(gpu.PowerLimitW, dt, unitUj: 1000)).Event;
                s.RawCounter = millijoules;
                s.Provenance = Provenance.Measured;
                // Power over the interval, from the counter: NVML's power reading is itself a one-second average on
                // recent GPUs, and it would be one more ioctl into the driver per GPU per tick.
                if (dt > 0) s.PowerW = (gpu.CumulativeUj - before) / 1e6 / dt;
            }
            else if (rc == NvmlReturn.GpuIsLost)
            {
                MarkLost(gpu, ref s);
                return;
            }
            else if (rc.IsNormalRefusal())
            {
                gpu.CounterSupported = false; // from now on, integrate power
            }
        }
        if (double.IsNaN(s.PowerW) || _everyGauge) // the first sample, no counter, or `coca sensors`
        {
            uint milliwatts;
            var powerRc = NvmlNative.DeviceGetPowerUsage(gpu.Handle, &milliwatts);
            if (powerRc == NvmlReturn.GpuIsLost)
            {
                MarkLost(gpu, ref s);
                return;
            }
            if (powerRc == NvmlReturn.Success) s.PowerW = milliwatts / 1000.0;
            if (!gpu.CounterSupported && !double.IsNaN(s.PowerW))
            {
                gpu.Integrator.Add(seconds, s.PowerW);
                s.Provenance = Provenance.Derived;
            }
        }

        NvmlUtilization utilisation;
        s.Utilisation = NvmlNative.DeviceGetUtilizationRates(gpu.Handle, &utilisation) == NvmlReturn.Success ? utilisation.Gpu / 100.0 : double.NaN;
        NvmlMemory memory;
        s.MemoryUsedBytes = _everyGauge && NvmlNative.DeviceGetMemoryInfo(gpu.Handle, &memory) == NvmlReturn.Success ? memory.Used : double.NaN;
        s.EnergyUj = gpu.CumulativeUj;
        s.State = s.Provenance == Provenance.None ? DeviceState.Unreadable : DeviceState.Ok;
    }

    private void MarkLost(NvmlGpu gpu, ref DeviceSample s)
    {
        gpu.Lost = true;
        s.State = DeviceState.Lost;
        s.Provenance = Provenance.None;
        s.EnergyUj = gpu.CumulativeUj;
        s.PowerW = double.NaN;
        _issues.Add(new SourceIssue(SourceName,
            $"{gpu.Identity.Uuid} (NVML index {gpu.Identity.NvmlIndex}) is lost (NVML_ERROR_GPU_IS_LOST): energy measured before is kept, nothing after it",
            "check `dmesg` for Xid errors; the GPU needs a reset or the node a reboot"));
    }

    /// <summary>Temperature and processes of each GPU; allocates, so not for every tick.</summary>
    public IReadOnlyList<GpuDetails> ReadDetails()
    {
        var details = new List<GpuDetails>();
        foreach (var gpu in _gpus)
        {
            if (gpu.Lost)
            {
                details.Add(new GpuDetails(gpu.Identity.Uuid, null, false, [], "lost"));
                continue;
            }
            uint temperature, current, pending;
            var t = NvmlNative.DeviceGetTemperature(gpu.Handle, 0, &temperature) == NvmlReturn.Success ? temperature : (double?)null;
            var mig = NvmlNative.DeviceGetMigMode(gpu.Handle, &current, &pending) == NvmlReturn.Success && current == 1;
            var (processes, problem) = RunningProcesses(gpu.Handle);
            details.Add(new GpuDetails(gpu.Identity.Uuid, t, mig, processes, problem));
        }
        return details;
    }

    private static (IReadOnlyList<GpuProcess>, string?) RunningProcesses(nint handle)
    {
        // NVML's two-call pattern: ask with count 0 for the size, then fetch; processes may start in between.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            uint count = 0;
            var rc = NvmlNative.DeviceGetComputeRunningProcesses(handle, &count, null);
            if (rc == NvmlReturn.Success) return ([], null);
            if (rc != NvmlReturn.InsufficientSize) return ([], $"processes: {Describe(rc)}");
            var capacity = count + 4;
            var buffer = new NvmlProcessInfo[capacity];
            fixed (NvmlProcessInfo* p = buffer)
            {
                count = capacity;
                rc = NvmlNative.DeviceGetComputeRunningProcesses(handle, &count, p);
            }
            if (rc == NvmlReturn.Success)
            {
                return (buffer.Take((int)count).Select(i => new GpuProcess((int)i.Pid, i.UsedGpuMemory, i.GpuInstanceId, i.ComputeInstanceId)).ToList(), null);
            }
            if (rc != NvmlReturn.InsufficientSize) return ([], $"processes: {Describe(rc)}");
        }
        return ([], "processes: the list kept growing");
    }

    private NvmlGpu? Open(uint index)
    {
        nint opened;
        var rc = NvmlNative.DeviceGetHandleByIndex(index, &opened);
        var handle = opened;
        if (rc != NvmlReturn.Success)
        {
            _issues.Add(new SourceIssue(SourceName, $"GPU at NVML index {index} cannot be opened: {Describe(rc)}; it is not measured"));
            return null;
        }
        var uuid = ReadString((b, n) => NvmlNative.DeviceGetUuid(handle, b, n), 96);
        if (string.IsNullOrEmpty(uuid))
        {
            _issues.Add(new SourceIssue(SourceName, $"GPU at NVML index {index} has no readable UUID; it is not measured"));
            return null;
        }
        var name = ReadString((b, n) => NvmlNative.DeviceGetName(handle, b, n), 96) ?? "NVIDIA GPU";
        NvmlPciInfo pci;
        var busId = NvmlNative.DeviceGetPciInfo(handle, &pci) == NvmlReturn.Success ? Utf8(pci.BusId, 32) : "";
        uint nvmlIndex, limit, minor;
        var minorNumber = NvmlNative.DeviceGetMinorNumber(handle, &minor) == NvmlReturn.Success ? (int)minor : -1;
        var label = NvmlNative.DeviceGetIndex(handle, &nvmlIndex) == NvmlReturn.Success ? (int)nvmlIndex : (int)index;
        var limitW = NvmlNative.DeviceGetEnforcedPowerLimit(handle, &limit) == NvmlReturn.Success ? limit / 1000.0 : 0;
        ulong probe;
        var counter = NvmlNative.DeviceGetTotalEnergyConsumption(handle, &probe);
        if (counter != NvmlReturn.Success && !counter.IsNormalRefusal())
        {
            _issues.Add(new SourceIssue(SourceName, $"{uuid}: energy counter answered {Describe(counter)}; power is integrated instead"));
        }
        var identity = new GpuIdentity(uuid, busId, label, name, MigInstances(handle, uuid));
        return new NvmlGpu(handle, identity, counter == NvmlReturn.Success, limitW) { Minor = minorNumber };
    }

    private List<MigInstance> MigInstances(nint handle, string uuid)
    {
        uint current, pending;
        if (NvmlNative.DeviceGetMigMode(handle, &current, &pending) != NvmlReturn.Success || current != 1) return [];
        if (_maxMigDeviceCount == null || _migDeviceHandleByIndex == null)
        {
            _issues.Add(new SourceIssue(SourceName,
                $"{uuid} is in MIG mode but this NVML lacks nvmlDeviceGetMigDeviceHandleByIndex: its MIG instances are not listed and MIG- entries of CUDA_VISIBLE_DEVICES are not charged",
                "update the NVIDIA driver (R470 or newer)"));
            return [];
        }
        uint max;
        if (_maxMigDeviceCount(handle, &max) != NvmlReturn.Success || max == 0) return [];
        var instances = new List<MigInstance>();
        for (uint i = 0; i < max; i++)
        {
            nint opened;
            if (_migDeviceHandleByIndex(handle, i, &opened) != NvmlReturn.Success) continue;
            var mig = opened;
            var migUuid = ReadString((b, n) => NvmlNative.DeviceGetUuid(mig, b, n), 96);
            if (string.IsNullOrEmpty(migUuid)) continue;
            NvmlDeviceAttributes attributes;
            var slices = _attributes != null && _attributes(mig, &attributes) == NvmlReturn.Success ? (int)attributes.GpuInstanceSliceCount : 1;
            instances.Add(new MigInstance(migUuid, slices, (int)max));
        }
        return instances;
    }

    private DeviceInfo Describe(NvmlGpu gpu)
    {
        var id = gpu.Identity;
        var hasMigSelected = id.MigInstances.Any(m => Selection.IncludesMig(m.Uuid));
        return new DeviceInfo(id.DeviceId, ComponentKind.Gpu, Selection.IncludesWhole(id.Uuid), SourceName, $"{id.Name} (NVML index {id.NvmlIndex}, {id.PciBusId})")
        {
            CounterUnitUj = gpu.CounterSupported ? 1000 : 0,
            MaxPowerW = gpu.PowerLimitW > 0 ? gpu.PowerLimitW : null,
            Gpu = new GpuAddress(id.Uuid, id.NvmlIndex, gpu.Minor >= 0 ? gpu.Minor : null),
            Note = !gpu.CounterSupported
                ? "no energy counter on this GPU: sampled power is integrated (derived), which misses what happens between samples"
                : hasMigSelected ? "MIG parent: charged through its selected instances" : Selection.IncludesWhole(id.Uuid) ? null : "not visible to the measured work (CUDA_VISIBLE_DEVICES): reported, not charged",
            Attributes = new Dictionary<string, string>
            {
                ["uuid"] = id.Uuid,
                ["pci_bus_id"] = id.PciBusId,
                ["nvml_index"] = id.NvmlIndex.ToString(CultureInfo.InvariantCulture),
                ["minor"] = gpu.Minor.ToString(CultureInfo.InvariantCulture),
                ["name"] = id.Name,
                ["power_limit_w"] = gpu.PowerLimitW.ToString("0.###", CultureInfo.InvariantCulture),
                ["energy_counter"] = gpu.CounterSupported ? "supported" : "not supported",
                ["mig"] = id.MigInstances.Count > 0 ? "enabled" : "disabled",
                ["driver"] = DriverVersion ?? "",
            },
        };
    }

    private DeviceInfo DescribeMig(NvmlGpu parent, MigInstance m) =>
        new(GpuIdentity.DeviceIdOf(m.Uuid), ComponentKind.Gpu, Selection.IncludesMig(m.Uuid), SourceName, $"MIG {m.Slices}g instance of {parent.Identity.Uuid}")
        {
            Gpu = new GpuAddress(m.Uuid, ParentUuid: parent.Identity.Uuid),
            Note = $"MIG instance: charged {m.Slices}/{m.ParentSlices} of its parent's energy (split by instance size; NVML has no per-instance power)",
            Attributes = new Dictionary<string, string>
            {
                ["uuid"] = m.Uuid,
                ["parent_uuid"] = parent.Identity.Uuid,
                ["slices"] = m.Slices.ToString(CultureInfo.InvariantCulture),
                ["parent_slices"] = m.ParentSlices.ToString(CultureInfo.InvariantCulture),
                ["share"] = m.Share.ToString("0.####", CultureInfo.InvariantCulture),
            },
        };

    private static nint Optional(nint library, string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;

    private delegate NvmlReturn StringCall(byte* buffer, uint length);

    private static string? ReadString(StringCall call, int size)
    {
        var buffer = stackalloc byte[size];
        return call(buffer, (uint)size) == NvmlReturn.Success ? Utf8(buffer, size) : null;
    }

    private static string Utf8(byte* buffer, int size)
    {
        var span = new ReadOnlySpan<byte>(buffer, size);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? span[..end] : span);
    }

    private static string Describe(NvmlReturn rc)
    {
        var text = NvmlNative.ErrorString(rc);
        var words = text == null ? null : Marshal.PtrToStringUTF8((nint)text);
        return words is null ? rc.ToNvmlName() : $"{rc.ToNvmlName()} ({words})";
    }

    public void Dispose()
    {
        if (_initialised) NvmlNative.Shutdown();
    }
}
