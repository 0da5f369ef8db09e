using Coca.Core.Attribution;
using System.Globalization;
using System.Text;
using Coca.Core.Units;

namespace Coca.Agent.Reports;

/// <summary>A finished job's final figures, written at Epilog time for delivery to its user.</summary>
public sealed record JobReport(
    string JobId,
    string User,
    string Node,
    DateTimeOffset Start,
    DateTimeOffset? End,
    double ElapsedS,
    IReadOnlyDictionary<string, double> EnergyJ,
    IReadOnlyDictionary<string, string> Provenance,
    double TotalJ,
    double Coverage,
    IReadOnlyList<string> Gpus,
    double? GpuUtilisation,
    double IdleGpuSeconds,
    DateTimeOffset? LastGpuActivity,
    double EnergyAfterLastGpuActivityJ,
    string CpuShareBasis)
{
    public static JobReport From(JobBook book, string node)
    {
        var end = book.End ?? book.FinalAt ?? book.Start;
        var elapsed = Math.Max(0, end - book.Start);
        var components = new[] { ComponentKind.Cpu, ComponentKind.Dram, ComponentKind.Gpu, ComponentKind.Other };
        return new JobReport(
            book.JobId,
            book.User,
            node,
            FromUnix(book.Start),
            book.End is { } e ? FromUnix(e) : null,
            elapsed,
            components.ToDictionary(c => c.ToWire(), c => book.Energy[c].Joules),
            components.ToDictionary(c => c.ToWire(), c => book.Energy.ProvenanceOf(c).ToWire()),
            book.Energy.Total.Joules,
            elapsed > 0 ? Math.Clamp(book.CoveredSeconds / elapsed, 0, 1) : 1,
            book.Gpus,
            book.GpuSeconds > 0 ? book.GpuBusySeconds / book.GpuSeconds : null,
            book.IdleGpuSeconds,
            book.LastGpuActivity is { } a ? FromUnix(a) : null,
            EnergyUnits.MicrojoulesToJoules(book.EnergyAfterLastGpuActivityUj),
            book.CpuShareBasis);
    }

    /// <summary>One screen of plain text, seff-style.</summary>
    public string ToText()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"Job {JobId} ({User}) on {Node}");
        s.AppendLine(inv, $"  ran      {Start:yyyy-MM-dd HH:mm:ss}Z → {(End is { } e ? e.ToString("yyyy-MM-dd HH:mm:ss", inv) + "Z" : "?")} ({TimeSpan.FromSeconds(Math.Round(ElapsedS)):c})");
        s.AppendLine(inv, $"  energy   {Kwh(TotalJ)} in all, {Coverage:P0} of the job's time measured");
        foreach (var (component, joules) in EnergyJ.Where(p => p.Value > 0 || p.Key != "other"))
        {
            s.AppendLine(inv, $"           {component,-5} {Kwh(joules),14}  {Provenance[component]}");
        }
        s.AppendLine(inv, $"  CPU/DRAM charged by {CpuShareBasis}");
        if (Gpus.Count > 0)
        {
            s.AppendLine(inv, $"  GPUs     {Gpus.Count}: {string.Join(", ", Gpus)}");
            s.AppendLine(inv, $"           average utilisation {(GpuUtilisation is { } u ? u.ToString("P0", inv) : "unknown")}, idle {TimeSpan.FromSeconds(Math.Round(IdleGpuSeconds)):c} GPU-time");
            if (LastGpuActivity is { } last && EnergyAfterLastGpuActivityJ > 0)
            {
                s.AppendLine(inv, $"  waste    GPUs last active {last:HH:mm:ss}Z; stopping then would have saved {Kwh(EnergyAfterLastGpuActivityJ)}");
            }
        }
        return s.ToString();
    }

    private static string Kwh(double joules) => joules >= 3.6e6
        ? (joules / 3.6e6).ToString("0.### kWh", CultureInfo.InvariantCulture)
        : joules >= 3600 ? (joules / 3600).ToString("0.### Wh", CultureInfo.InvariantCulture) : joules.ToString("0.### J", CultureInfo.InvariantCulture);

    private static DateTimeOffset FromUnix(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}
