using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Coca.Core.Gpu;
using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.Gpu;

namespace Coca.Sources.NvidiaSmi;

/// <summary>
/// GPUs through <c>nvidia-smi</c> when NVML cannot be loaded: power sampled once per tick and
/// integrated (<c>derived</c>), which misses what happens between samples. One process per tick:
/// a fallback, not the agent's path.
/// </summary>
public sealed class NvidiaSmiSource : IEnergySource
{
    public const string SourceName = "nvidia-smi";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _binary;
    private readonly List<SourceIssue> _issues = [];
    private readonly string[] _uuids = [];
    private readonly PowerIntegrator[] _integrators = [];

    public NvidiaSmiSource(GpuSourceOptions options)
    {
        _binary = options.NvidiaSmi ?? "nvidia-smi";
        Devices = [];
        Selection = GpuSelection.FromCudaVisibleDevices(options.CudaVisibleDevices, []);
        var rows = Query(out var problem);
        if (rows is null)
        {
            LoadProblem = problem;
            return;
        }
        var identities = rows.Select(r => new GpuIdentity(r.Uuid, r.PciBusId, r.Index ?? -1, r.Name, [])).ToList();
        Selection = GpuSelection.FromCudaVisibleDevices(options.CudaVisibleDevices, identities);
        foreach (var w in Selection.Warnings) _issues.Add(new SourceIssue(SourceName, w));
        _uuids = rows.Select(r => r.Uuid).ToArray();
        _integrators = rows.Select(_ => new PowerIntegrator()).ToArray();
        Devices = identities.Select(g => new DeviceInfo(g.DeviceId, ComponentKind.Gpu, Selection.IncludesWhole(g.Uuid), SourceName, $"{g.Name} (index {g.NvmlIndex}, {g.PciBusId})")
        {
            Gpu = new GpuAddress(g.Uuid, g.NvmlIndex >= 0 ? g.NvmlIndex : null),
            Note = "read through nvidia-smi: sampled power is integrated (derived), which misses what happens between samples",
            Attributes = new Dictionary<string, string>
            {
                ["uuid"] = g.Uuid,
                ["pci_bus_id"] = g.PciBusId,
                ["nvml_index"] = g.NvmlIndex.ToString(CultureInfo.InvariantCulture),
                ["name"] = g.Name,
            },
        }).ToList();
    }

    public string Name => SourceName;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public IReadOnlyList<SourceIssue> Issues => _issues;
    public string? LoadProblem { get; }
    public bool IsAvailable => LoadProblem is null;
    public GpuSelection Selection { get; }

    public void Sample(double monotonicSeconds, Span<DeviceSample> into)
    {
        var rows = Query(out _)?.ToDictionary(r => r.Uuid, StringComparer.Ordinal);
        for (var i = 0; i < _uuids.Length; i++)
        {
            ref var s = ref into[i];
            if (rows is null || !rows.TryGetValue(_uuids[i], out var row) || row.PowerW is not { } watts)
            {
                s.State = rows is null || rows.ContainsKey(_uuids[i]) ? DeviceState.Unreadable : DeviceState.Lost;
                s.Provenance = Provenance.None;
                s.PowerW = double.NaN;
                _integrators[i].Break();
                continue;
            }
            _integrators[i].Add(monotonicSeconds, watts);
            s.EnergyUj = _integrators[i].TotalMicrojoules;
            s.PowerW = watts;
            s.Utilisation = row.UtilisationPercent is { } u ? u / 100 : double.NaN;
            s.MemoryUsedBytes = row.MemoryUsedMiB is { } m ? m * 1024 * 1024 : double.NaN;
            s.Provenance = Provenance.Derived;
            s.State = DeviceState.Ok;
        }
    }

    private IReadOnlyList<NvidiaSmiRow>? Query(out string? problem)
    {
        var start = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(NvidiaSmiCsv.QueryArgument);
        start.ArgumentList.Add("--format=csv,noheader,nounits");
        try
        {
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(Timeout))
            {
                p.Kill(entireProcessTree: true);
                problem = $"{_binary} did not answer within {Timeout.TotalSeconds:0} s";
                return null;
            }
            if (p.ExitCode != 0)
            {
                var first = (error.Result + output.Result).Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
                problem = $"{_binary} failed with exit code {p.ExitCode}: {first}";
                return null;
            }
            problem = null;
            return NvidiaSmiCsv.Parse(output.Result);
        }
        catch (Win32Exception e)
        {
            problem = $"cannot run {_binary}: {e.Message}";
            return null;
        }
    }

    public void Dispose()
    {
    }
}
