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
        if (r.Energy is not { } energy)
        {
            s.AppendLine("  energy      not measured (no Coca4ai agent reported this job)");
            if (r.SlurmEnergyJ is { } se) s.AppendLine(inv, $"              Slurm's own figure: {Readable.Joules(se)}");
            return s.ToString();
        }
        var total = energy.Total;
        s.AppendLine(inv, $"  energy      {Readable.Energy(total)}{(r.Coverage is { } c ? $", {c.ToString("P0", inv)} of the job's time measured" : "")}");
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
        return s.ToString();
    }
}
