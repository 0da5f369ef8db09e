using System.Globalization;
using System.Text;
using Coca.Agent.State;
using Coca.Core.Units;

namespace Coca.Agent.Metrics;

/// <summary>The agent's state in the Prometheus text exposition format, version 0.0.4.</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public sealed record AgentCounters(long Ticks, long TickErrors, double LastTickSeconds, double StartedAtUnix);

    public static string Write(AgentState state, IReadOnlyDictionary<string, string> deviceKinds, AgentCounters counters, double now, TimeSpan retention)
    {
        var s = new StringBuilder(4096);
        var node = Escape(state.Node);

        Header(s, "coca_device_energy_joules_total", "counter", "Energy measured by each device since the agent first started on this node; continues across restarts.");
        foreach (var (id, book) in state.Devices) // in the devices' own order, stable from scrape to scrape
        {
            s.Append("coca_device_energy_joules_total{node=\"").Append(node).Append("\",device=\"").Append(Escape(DeviceLabel(id)))
             .Append("\",kind=\"").Append(Escape(deviceKinds.GetValueOrDefault(id, book.Kind))).Append("\"} ").AppendNumber(book.TotalUj / 1e6).Append('\n');
        }
        Header(s, "coca_device_power_watts", "gauge", "Power of each device at the last tick.");
        foreach (var (id, book) in state.Devices)
        {
            if (double.IsNaN(book.PowerW)) continue;
            s.Append("coca_device_power_watts{node=\"").Append(node).Append("\",device=\"").Append(Escape(DeviceLabel(id)))
             .Append("\",kind=\"").Append(Escape(deviceKinds.GetValueOrDefault(id, book.Kind))).Append("\"} ").AppendNumber(book.PowerW).Append('\n');
        }

        Header(s, "coca_job_energy_joules_total", "counter", "Energy charged to each Slurm job on this node, by component; finished jobs stay for a while after their end.");
        foreach (var job in state.Jobs.Values)
        {
            if (job.Final && job.FinalAt is { } at && now - at > retention.TotalSeconds) continue;
            for (var c = 0; c < 4; c++)
            {
                s.Append("coca_job_energy_joules_total{job_id=\"").Append(Escape(job.JobId)).Append("\",user=\"").Append(Escape(job.User))
                 .Append("\",component=\"").Append(((ComponentKind)c).ToWire()).Append("\"} ").AppendNumber(job.EnergyUj[c] / 1e6).Append('\n');
            }
        }

        Header(s, "coca_idle_energy_joules_total", "counter", "Energy of devices no job held, by component.");
        Components(s, "coca_idle_energy_joules_total", node, state.IdleUj);
        Header(s, "coca_unattributed_energy_joules_total", "counter", "Energy no rule could place, by component.");
        Components(s, "coca_unattributed_energy_joules_total", node, state.UnattributedUj);

        Header(s, "coca_agent_ticks_total", "counter", "Ticks taken by this agent process.");
        s.Append("coca_agent_ticks_total ").Append(counters.Ticks).Append('\n');
        Header(s, "coca_agent_tick_errors_total", "counter", "Ticks that failed in this agent process.");
        s.Append("coca_agent_tick_errors_total ").Append(counters.TickErrors).Append('\n');
        Header(s, "coca_agent_tick_duration_seconds", "gauge", "Wall time of the last tick.");
        s.Append("coca_agent_tick_duration_seconds ").AppendNumber(counters.LastTickSeconds).Append('\n');
        Header(s, "coca_agent_start_time_seconds", "gauge", "Unix time this agent process started.");
        s.Append("coca_agent_start_time_seconds ").AppendNumber(counters.StartedAtUnix).Append('\n');
        return s.ToString();
    }

    private static void Components(StringBuilder s, string name, string node, long[] uj)
    {
        for (var c = 0; c < 4; c++)
        {
            s.Append(name).Append("{node=\"").Append(node).Append("\",component=\"").Append(((ComponentKind)c).ToWire()).Append("\"} ").AppendNumber(uj[c] / 1e6).Append('\n');
        }
    }

    private static void Header(StringBuilder s, string name, string type, string help) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    // GPUs by UUID, RAPL by zone name: "gpu:GPU-…" → "GPU-…".
    private static string DeviceLabel(string id) => id.StartsWith("gpu:", StringComparison.Ordinal) ? id[4..] : id;

    // Shortest round-trip form, invariant culture, formatted into the builder without a temporary string.
    private static StringBuilder AppendNumber(this StringBuilder s, double v) => double.IsNaN(v) ? s.Append("NaN") : s.Append(CultureInfo.InvariantCulture, $"{v}");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
