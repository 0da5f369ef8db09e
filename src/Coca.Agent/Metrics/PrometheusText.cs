using Coca.Core.Attribution;
using System.Text;
using Coca.Core.Units;

namespace Coca.Agent.Metrics;

/// <summary>
/// The agent's state in the Prometheus text exposition format, version 0.0.4, rendered as UTF-8 into a buffer.
/// Each series' name and labels are escaped and encoded once and kept: a scrape copies them and formats the
/// numbers, which is most of why the whole node costs less than node_exporter's RAPL collector alone.
/// </summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public readonly record struct AgentCounters(long Ticks, long TickErrors, double LastTickSeconds, double StartedAtUnix);

    private static readonly byte[] DeviceEnergyHeader = Header("coca_device_energy_joules_total", "counter", "Energy measured by each device since the agent first started on this node; continues across restarts.");
    private static readonly byte[] DevicePowerHeader = Header("coca_device_power_watts", "gauge", "Power of each device at the last tick.");
    private static readonly byte[] JobEnergyHeader = Header("coca_job_energy_joules_total", "counter", "Energy charged to each Slurm job on this node, by component; finished jobs stay for a while after their end.");
    private static readonly byte[] IdleHeader = Header("coca_idle_energy_joules_total", "counter", "Energy of devices no job held, by component.");
    private static readonly byte[] UnattributedHeader = Header("coca_unattributed_energy_joules_total", "counter", "Energy no rule could place, by component.");
    private static readonly byte[] TicksLine = Header("coca_agent_ticks_total", "counter", "Ticks taken by this agent process.", "coca_agent_ticks_total ");
    private static readonly byte[] ErrorsLine = Header("coca_agent_tick_errors_total", "counter", "Ticks that failed in this agent process.", "coca_agent_tick_errors_total ");
    private static readonly byte[] DurationLine = Header("coca_agent_tick_duration_seconds", "gauge", "Wall time of the last tick.", "coca_agent_tick_duration_seconds ");
    private static readonly byte[] StartLine = Header("coca_agent_start_time_seconds", "gauge", "Unix time this agent process started.", "coca_agent_start_time_seconds ");
    private static readonly byte[] WrapsHeader = Header("coca_device_energy_wraps_total", "counter", "Times each device's energy counter wrapped at its maximum range (counted exactly).");
    private static readonly byte[] ResetsHeader = Header("coca_device_energy_resets_total", "counter", "Times each device's energy counter went back without a known range (driver reload, reboot): the new value was taken as the energy since.");
    private static readonly byte[] RejectedHeader = Header("coca_device_energy_rejected_steps_total", "counter", "Counter steps larger than the device could have drawn (4 × its maximum power), or ambiguous (a wrap or a reset on a small range, a step back), counted as zero.");
    private static readonly byte[] ForeignHeader = Header("coca_gpu_foreign_processes", "gauge", "Processes on a GPU that belong to no job holding it, at the last check.");

    private readonly Dictionary<string, DeviceLabels> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (JobBook Book, byte[][] Components)> _jobs = new(StringComparer.Ordinal);
    private readonly List<string> _stale = [];
    private string _node = "";
    private byte[][] _idle = [];
    private byte[][] _unattributed = [];

    /// <summary>The page for one scrape, appended to <paramref name="into"/>.</summary>
    /// <param name="foreign">Per GPU device id, processes found on it that no job holds; null when no audit runs.</param>
    public void Render(ByteBuffer into, Books state, IReadOnlyDictionary<string, string> deviceKinds, AgentCounters counters, double now, TimeSpan retention,
        IReadOnlyDictionary<string, int>? foreign = null)
    {
        if (state.Node != _node) Reset(state.Node);

        into.Append(DeviceEnergyHeader);
        foreach (var (id, book) in state.Devices) // in the devices' own order, stable from scrape to scrape
        {
            into.Append(Device(id, book, deviceKinds).Energy).Append(book.Total.Joules).Append((byte)'\n');
        }
        Health(into, state, deviceKinds, WrapsHeader, static d => d.Wraps, static b => b.Wraps);
        Health(into, state, deviceKinds, ResetsHeader, static d => d.Resets, static b => b.Resets);
        Health(into, state, deviceKinds, RejectedHeader, static d => d.Rejected, static b => b.Rejected);
        into.Append(DevicePowerHeader);
        foreach (var (id, book) in state.Devices)
        {
            if (double.IsNaN(book.PowerW)) continue;
            into.Append(Device(id, book, deviceKinds).Power).Append(book.PowerW).Append((byte)'\n');
        }

        into.Append(JobEnergyHeader);
        foreach (var job in state.Jobs.Values)
        {
            if (job.Final && job.FinalAt is { } at && now - at > retention.TotalSeconds) continue;
            var prefixes = Job(job);
            for (var c = 0; c < 4; c++) into.Append(prefixes[c]).Append(job.Energy[(ComponentKind)c].Joules).Append((byte)'\n');
        }
        ForgetGoneJobs(state);

        into.Append(IdleHeader);
        for (var c = 0; c < 4; c++) into.Append(_idle[c]).Append(state.Idle[(ComponentKind)c].Joules).Append((byte)'\n');
        into.Append(UnattributedHeader);
        for (var c = 0; c < 4; c++) into.Append(_unattributed[c]).Append(state.Unattributed[(ComponentKind)c].Joules).Append((byte)'\n');

        into.Append(TicksLine).Append(counters.Ticks).Append((byte)'\n');
        into.Append(ErrorsLine).Append(counters.TickErrors).Append((byte)'\n');
        into.Append(DurationLine).Append(counters.LastTickSeconds).Append((byte)'\n');
        into.Append(StartLine).Append(counters.StartedAtUnix).Append((byte)'\n');

        if (foreign is null) return;
        into.Append(ForeignHeader);
        foreach (var (id, book) in state.Devices)
        {
            if (Device(id, book, deviceKinds).Foreign is not { } prefix) continue;
            into.Append(prefix).Append((long)foreign.GetValueOrDefault(id)).Append((byte)'\n');
        }
    }

    // One counter-health family: a line per device with a hardware counter (the others have nothing to wrap).
    private void Health(ByteBuffer into, Books state, IReadOnlyDictionary<string, string> deviceKinds, byte[] header, Func<DeviceLabels, byte[]> prefix, Func<DeviceBook, long> value)
    {
        into.Append(header);
        foreach (var (id, book) in state.Devices)
        {
            if (book.Raw is null && value(book) == 0) continue;
            into.Append(prefix(Device(id, book, deviceKinds))).Append(value(book)).Append((byte)'\n');
        }
    }

    /// <summary>The page as a string: for tests and tools.</summary>
    public static string Write(Books state, IReadOnlyDictionary<string, string> deviceKinds, AgentCounters counters, double now, TimeSpan retention,
        IReadOnlyDictionary<string, int>? foreign = null)
    {
        var buffer = new ByteBuffer();
        new PrometheusText().Render(buffer, state, deviceKinds, counters, now, retention, foreign);
        return Encoding.UTF8.GetString(buffer.Written);
    }

    private void Reset(string node)
    {
        _node = node;
        _devices.Clear();
        _jobs.Clear();
        var n = Escape(node);
        _idle = [.. Enumerable.Range(0, 4).Select(c => Utf8($"coca_idle_energy_joules_total{{node=\"{n}\",component=\"{((ComponentKind)c).ToWire()}\"}} "))];
        _unattributed = [.. Enumerable.Range(0, 4).Select(c => Utf8($"coca_unattributed_energy_joules_total{{node=\"{n}\",component=\"{((ComponentKind)c).ToWire()}\"}} "))];
    }

    private DeviceLabels Device(string id, DeviceBook book, IReadOnlyDictionary<string, string> deviceKinds)
    {
        if (_devices.TryGetValue(id, out var known)) return known;
        var labels = $"{{node=\"{Escape(_node)}\",device=\"{Escape(DeviceLabel(id))}\",kind=\"{Escape(deviceKinds.GetValueOrDefault(id, book.Kind))}\"}} ";
        var gpu = id.StartsWith("gpu:", StringComparison.Ordinal);
        var made = new DeviceLabels(Utf8("coca_device_energy_joules_total" + labels), Utf8("coca_device_power_watts" + labels),
            gpu ? Utf8($"coca_gpu_foreign_processes{{node=\"{Escape(_node)}\",device=\"{Escape(DeviceLabel(id))}\"}} ") : null,
            Utf8("coca_device_energy_wraps_total" + labels), Utf8("coca_device_energy_resets_total" + labels), Utf8("coca_device_energy_rejected_steps_total" + labels));
        _devices[id] = made;
        return made;
    }

    // Each device's series names with their labels, encoded once.
    private sealed record DeviceLabels(byte[] Energy, byte[] Power, byte[]? Foreign, byte[] Wraps, byte[] Resets, byte[] Rejected);

    private byte[][] Job(JobBook job) =>
        _jobs.TryGetValue(job.JobId, out var known) && ReferenceEquals(known.Book, job) ? known.Components : NewJob(job);

    // Apart from Job(): the lambda's closure would otherwise be allocated on every call, cached or not.
    private byte[][] NewJob(JobBook job)
    {
        var prefixes = Enumerable.Range(0, 4)
            .Select(c => Utf8($"coca_job_energy_joules_total{{job_id=\"{Escape(job.JobId)}\",user=\"{Escape(job.User)}\",component=\"{((ComponentKind)c).ToWire()}\"}} "))
            .ToArray();
        _jobs[job.JobId] = (job, prefixes);
        return prefixes;
    }

    // Retired jobs' labels go once they outnumber the jobs still in the books: a scrape rarely pays for it.
    private void ForgetGoneJobs(Books state)
    {
        if (_jobs.Count <= 2 * state.Jobs.Count + 16) return;
        _stale.Clear();
        foreach (var id in _jobs.Keys)
        {
            if (!state.Jobs.ContainsKey(id)) _stale.Add(id);
        }
        foreach (var id in _stale) _jobs.Remove(id);
    }

    private static byte[] Header(string name, string type, string help, string then = "") =>
        Utf8($"# HELP {name} {help}\n# TYPE {name} {type}\n{then}");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // GPUs by UUID, RAPL by zone name: "gpu:GPU-…" → "GPU-…".
    internal static string DeviceLabel(string id) => id.StartsWith("gpu:", StringComparison.Ordinal) ? id[4..] : id;

    internal static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
