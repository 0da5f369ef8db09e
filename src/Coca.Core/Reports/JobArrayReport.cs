using System.Globalization;
using System.Text;

namespace Coca.Core.Reports;

/// <summary>One task of a job array: its state and energy, with where the energy came from (<c>measured</c> by an agent, <c>slurm</c>'s own figure, or null: unknown).</summary>
public sealed record ArrayTask(string JobId, string? State, long? ElapsedS, double? EnergyKwh, string? EnergySource);

/// <summary>
/// A job array as <c>coca job 123</c> shows it (123 being the parent of <c>123_[0-9]</c>): its tasks, their states
/// and energy, and the totals. The measured energy and Slurm's own are summed apart, each over the tasks it covers;
/// a task with neither is counted as unknown, never as 0.
/// </summary>
public sealed record JobArrayReport(string ArrayJobId, string? Name, string? User, IReadOnlyList<ArrayTask> Tasks)
{
    public int MeasuredTasks => Tasks.Count(t => t.EnergySource == "measured");
    public double? EnergyKwh => MeasuredTasks > 0 ? Tasks.Where(t => t.EnergySource == "measured").Sum(t => t.EnergyKwh!.Value) : null;
    public int SlurmEnergyTasks => Tasks.Count(t => t.EnergySource == "slurm");
    public double? SlurmEnergyKwh => SlurmEnergyTasks > 0 ? Tasks.Where(t => t.EnergySource == "slurm").Sum(t => t.EnergyKwh!.Value) : null;
    public int UnknownEnergyTasks => Tasks.Count(t => t.EnergySource is null);

    /// <summary>Tasks per state (<c>UNKNOWN</c> when Slurm has not said), most frequent first.</summary>
    public IReadOnlyDictionary<string, int> States => Tasks.GroupBy(t => t.State ?? "UNKNOWN", StringComparer.Ordinal)
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The behaviours found in the array (a sweep, a crash loop); filled by the behaviours engine, rendered when not empty.</summary>
    public IReadOnlyList<JobFinding> Findings { get; init; } = [];

    public static string Render(JobArrayReport a)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"Job array {a.ArrayJobId}: {a.Name ?? "?"}, {a.Tasks.Count} task(s), user {a.User ?? "?"}");
        s.AppendLine(inv, $"  states      {string.Join(", ", a.States.Select(kv => $"{kv.Key} {kv.Value}"))}");
        var measured = a.EnergyKwh is { } kwh ? $"{kwh.ToString("0.####", inv)} kWh measured over {a.MeasuredTasks} task(s)" : "no task measured";
        var slurm = a.SlurmEnergyKwh is { } skwh ? $"; Slurm's own figure {skwh.ToString("0.####", inv)} kWh over {a.SlurmEnergyTasks} other task(s)" : "";
        s.AppendLine(inv, $"  energy      {measured}{slurm}; {a.UnknownEnergyTasks} task(s) with no energy figure");
        s.AppendLine("  task        state        elapsed        energy");
        foreach (var t in a.Tasks)
        {
            var energy = t.EnergyKwh is { } e ? $"{e.ToString("0.####", inv)} kWh{(t.EnergySource == "slurm" ? " (Slurm's)" : "")}" : "unknown";
            s.AppendLine(inv, $"  {t.JobId,-11} {t.State ?? "?",-12} {(t.ElapsedS is { } el ? Units.Readable.Duration(el) : "?"),-14} {energy}");
        }
        foreach (var f in a.Findings)
        {
            s.AppendLine(inv, $"  finding     {f.Kind}: {(f.WastedKwh is { } w ? $"{w.ToString("0.###", inv)} kWh wasted" : "wasted energy unknown")}");
            s.AppendLine(inv, $"              tip: {f.Tip}");
        }
        return s.ToString();
    }
}
