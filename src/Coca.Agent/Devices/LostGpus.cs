using System.Text;
using Coca.Agent.Metrics;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Agent.Devices;

/// <summary>
/// GPUs that fell off the bus (NVML_ERROR_GPU_IS_LOST) while the agent runs: logged once when lost (and once when
/// back), exported as <c>coca_gpu_lost{node,device}</c> 0/1, and — in the engine — taken off the coverage of the jobs
/// holding them, since their energy from then on is not measured. A lost GPU used to be silent.
/// </summary>
internal sealed class LostGpus
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes(
        "# HELP coca_gpu_lost Whether each GPU is lost (fell off the bus): its energy since is not measured, and its jobs' coverage drops.\n# TYPE coca_gpu_lost gauge\n");

    private readonly IReadOnlyList<DeviceInfo> _devices;
    private readonly Action<string> _log;
    private readonly bool[] _lost;
    private readonly byte[]?[] _lines; // made once: rendering allocates nothing

    public LostGpus(IReadOnlyList<DeviceInfo> devices, string node, Action<string> log)
    {
        _devices = devices;
        _log = log;
        _lost = new bool[devices.Count];
        _lines = new byte[]?[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            if (devices[i].Component != ComponentKind.Gpu || !devices[i].Counted) continue;
            var device = PrometheusText.Escape(PrometheusText.DeviceLabel(devices[i].Id));
            _lines[i] = Encoding.UTF8.GetBytes($"coca_gpu_lost{{node=\"{PrometheusText.Escape(node)}\",device=\"{device}\"}} ");
        }
    }

    /// <summary>Notes each GPU's state at this tick; logs only when one is lost or back. Allocates nothing otherwise.</summary>
    public void Check(ReadOnlySpan<DeviceSample> samples)
    {
        for (var i = 0; i < _lines.Length; i++)
        {
            if (_lines[i] is null) continue;
            var lost = samples[i].State == DeviceState.Lost;
            if (lost == _lost[i]) continue;
            _lost[i] = lost;
            _log(lost
                ? $"GPU {_devices[i].Id} is lost (fell off the bus): its energy from now on is not measured; the coverage of the jobs holding it drops"
                : $"GPU {_devices[i].Id} is back: measured again");
        }
    }

    public void Render(ByteBuffer into)
    {
        into.Append(Header);
        for (var i = 0; i < _lines.Length; i++)
        {
            if (_lines[i] is not { } line) continue;
            into.Append(line).Append(_lost[i] ? (byte)'1' : (byte)'0').Append((byte)'\n');
        }
    }
}
