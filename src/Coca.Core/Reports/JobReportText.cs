using System.Globalization;
using System.Text;
using Coca.Core.Units;

namespace Coca.Core.Reports;

/// <summary>The one-screen report a user reads after a job, seff-style: one renderer for the agent and <c>coca job</c>.</summary>
public static class JobReportText
{
    /// <summary>Below this average utilisation a job's GPUs count as never busy.</summary>
    public const double NeverBusyUtilisation = 0.05;

    public static string Render(JobReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"Job {r.JobId}{(r.JobIdRaw is { } raw && raw != r.JobId ? $" (raw {raw})" : "")}: {r.Name ?? "?"}");
        s.AppendLine(inv, $"  user        {r.User ?? "?"}{(r.Account is null ? "" : $", account {r.Account}")}{(r.Partition is null ? "" : $", partition {r.Partition}")}");
        var gpus = r.Gpus.Count > 0 ? $"{r.Gpus.Count} GPU(s) ({string.Join(", ", r.Gpus)})" : $"{r.GpuCount?.ToString(inv) ?? "?"} GPU(s)";
        s.AppendLine(inv, $"  held        {gpus} on {r.Node ?? "?"}");
        s.AppendLine(inv, $"  ran         {Readable.Time(r.Start)} → {Readable.Time(r.End)} ({(r.ElapsedS is { } e ? Readable.Duration(e) : "?")})");
        s.AppendLine(inv, $"  ended       {r.State ?? "unknown (not in Slurm's accounting yet)"}{(r.ExitCode is null ? "" : $", exit code {r.ExitCode}")}");
        Activity(s, r);
        if (r.Efficiency is { } efficiency) Efficiency(s, efficiency);
        Energy(s, r);
        if (r.PerGpu is { } perGpu) PerGpu(s, perGpu);
        foreach (var f in r.Findings)
        {
            s.AppendLine(inv, $"  finding     {f.Kind}: {(f.WastedKwh is { } kwh ? $"{kwh.ToString("0.###", inv)} kWh wasted" : "wasted energy unknown")}");
            s.AppendLine(inv, $"              tip: {f.Tip}");
        }
        return s.ToString();
    }

    private static void Activity(StringBuilder s, JobReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var kind = r.Interactive switch { true => "interactive", false => "batch", null => null };
        var parts = new List<string>();
        if (kind is not null) parts.Add(kind);
        if (r.Framework is not null) parts.Add("framework " + r.Framework);
        if (r.Tags is { Count: > 0 } tags) parts.Add("tags " + string.Join(' ', tags.Select(t => t.Key + "=" + t.Value)));
        if (parts.Count > 0) s.AppendLine(inv, $"  activity    {string.Join(", ", parts)}");
        if (r.Fingerprint is { } fp) s.AppendLine(inv, $"  fingerprint {fp} (runs differing only in hyper-parameters and seeds share it)");
    }

    private static void Efficiency(StringBuilder s, JobEfficiency e)
    {
        var inv = CultureInfo.InvariantCulture;
        static string Text(Share share) => share.Value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "unknown: " + share.Reason;
        s.AppendLine(inv, $"  CPU         efficiency {Text(e.Cpu)}");
        s.AppendLine(inv, $"  memory      efficiency {Text(e.Memory)}");
        s.AppendLine(inv, $"  time limit  {(e.TimeLimit.Value is { } t ? $"used {t.ToString("P0", inv)}" : "use unknown: " + e.TimeLimit.Reason)}");
    }

    private static void PerGpu(StringBuilder s, IReadOnlyList<GpuUse> gpus)
    {
        var inv = CultureInfo.InvariantCulture;
        if (gpus.Count == 0)
        {
            s.AppendLine("  per GPU     no series stored for this job");
            return;
        }
        foreach (var g in gpus)
        {
            var util = g.Utilisation is { } u ? $"utilisation {u.ToString("P0", inv)} ({g.Points} points)" : "utilisation not recorded";
            var memory = g.MemoryBytes is { } m ? $"memory {Bytes(m)}" : "memory " + (g.MemoryReason ?? "unknown");
            s.AppendLine(inv, $"  GPU         {g.Node} {g.Device}: {util}; {memory}");
        }
    }

    private static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.# 'GiB'", CultureInfo.InvariantCulture)
        : (bytes / (double)(1L << 20)).ToString("0.# 'MiB'", CultureInfo.InvariantCulture);

    private static void Energy(StringBuilder s, JobReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        if (r.Energy is not { } energy)
        {
            s.AppendLine("  energy      not measured (no Coca4ai agent reported this job)");
            if (r.SlurmEnergyJ is { } se) s.AppendLine(inv, $"              Slurm's own figure: {Readable.Joules(se)}");
            return;
        }
        var total = energy.Total;
        var band = r.UncertaintyJ is { } range ? " " + Readable.Range(total.Joules, range.Low, range.High) : "";
        s.AppendLine(inv, $"  energy      {Readable.Energy(total)}{band}{(r.Coverage is { } c ? $", {c.ToString("P0", inv)} of the job's time measured" : "")}");
        foreach (var (name, component) in new[] { ("GPU", ComponentKind.Gpu), ("CPU", ComponentKind.Cpu), ("DRAM", ComponentKind.Dram), ("other", ComponentKind.Other) })
        {
            var provenance = energy.ProvenanceOf(component);
            if (energy[component].Microjoules > 0 || provenance != Provenance.None)
            {
                s.AppendLine(inv, $"              {name,-5} {Readable.Energy(energy[component]),12}  {provenance.ToWire()}");
            }
        }
        if (r.SlurmEnergyJ is { } slurm) s.AppendLine(inv, $"              (Slurm's own figure: {Readable.Joules(slurm)})");
        if (!string.IsNullOrEmpty(r.CpuShareBasis)) s.AppendLine(inv, $"              CPU and DRAM charged by {r.CpuShareBasis}");
        if (!string.IsNullOrEmpty(r.OtherBasis)) s.AppendLine(inv, $"              other charged by {r.OtherBasis}");
        if (r.EmissionsG is { } g)
        {
            s.AppendLine(inv, $"  emissions   {Readable.Grams(g)} CO2e = {total.Kwh.ToString("0.####", inv)} kWh × PUE {r.Pue?.ToString("0.##", inv)} × {r.CarbonIntensityGPerKwh?.ToString("0.#", inv)} gCO2e/kWh");
        }
        if (r.GpuUtilisation is { } su && r.GpuUtilisationSource == "slurm")
        {
            s.AppendLine(inv, $"  GPUs        average utilisation {su.ToString("P0", inv)} (Slurm's gres/gpuutil: no agent measured it)");
        }
        else if (r.GpuUtilisation is { } u)
        {
            s.AppendLine(inv, $"  GPUs        average utilisation {u.ToString("P0", inv)}, idle {Readable.Duration(r.IdleGpuSeconds ?? 0)} of GPU time");
        }
        if (r.LastGpuActivity is { } last && r.EnergyAfterLastGpuActivity is { Microjoules: > 0 } after)
        {
            var share = total.Microjoules > 0 ? $" ({(after.Microjoules / (double)total.Microjoules).ToString("P0", inv)})" : "";
            s.AppendLine(inv, $"  waste       the GPUs were last busy at {Readable.Time(last)}; stopping the job then would have saved {Readable.Energy(after)}{share}");
        }
        else if (r.GpuUtilisation is { } util && util < NeverBusyUtilisation && (r.GpuCount ?? r.Gpus.Count) > 0)
        {
            s.AppendLine("  waste       the GPUs were never busy: all of this job's GPU energy was idle draw");
        }
    }
}
