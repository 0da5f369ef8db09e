using System.Globalization;
using System.Text;
using Coca.Commands.Node.Output;
using Coca.Storage;

namespace Coca.Commands.Site.Output;

/// <summary>The one-screen report a user reads after a job, seff-style.</summary>
internal static class JobReportText
{
    public static string Render(JobRow j)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"Job {j.JobId}{(j.JobIdRaw != j.JobId ? $" (raw {j.JobIdRaw})" : "")}: {j.Name ?? "?"}");
        s.AppendLine(inv, $"  user        {j.User ?? "?"}{(j.Account is null ? "" : $", account {j.Account}")}{(j.Partition is null ? "" : $", partition {j.Partition}")}");
        s.AppendLine(inv, $"  held        {j.Gpus?.ToString(inv) ?? "?"} GPU(s) on {j.Nodes ?? "?"}");
        var elapsed = j.ElapsedS is { } e ? TimeSpan.FromSeconds(e).ToString("c", inv) : j.Start is { } a && j.End is { } b ? (b - a).ToString(@"d\.hh\:mm\:ss", inv) : "?";
        s.AppendLine(inv, $"  ran         {Time(j.Start)} → {Time(j.End)} ({elapsed})");
        s.AppendLine(inv, $"  ended       {j.State ?? "unknown (not in Slurm's accounting yet)"}{(j.ExitCode is null ? "" : $", exit code {j.ExitCode}")}");
        if (j.TotalUj is not { } total)
        {
            s.AppendLine("  energy      not measured (no Coca4ai agent reported this job)");
            if (j.SlurmEnergyJ is { } se) s.AppendLine(inv, $"              Slurm's own figure: {Format.Energy(se)}");
            return s.ToString();
        }
        var provenance = j.Provenance?.Split(',') ?? ["none", "none", "none", "none"];
        s.AppendLine(inv, $"  energy      {Format.Energy(total / 1e6)}{(j.Coverage is { } c ? $", {c:P0} of the job's time measured" : "")}");
        void Line(string name, long? uj, string prov) { if (uj is > 0 || prov != "none") s.AppendLine(inv, $"              {name,-5} {Format.Energy((uj ?? 0) / 1e6),12}  {prov}"); }
        Line("GPU", j.GpuUj, provenance[2]);
        Line("CPU", j.CpuUj, provenance[0]);
        Line("DRAM", j.DramUj, provenance[1]);
        Line("other", j.OtherUj, provenance[3]);
        if (j.SlurmEnergyJ is { } slurm) s.AppendLine(inv, $"              (Slurm's own figure: {Format.Energy(slurm)})");
        if (j.EmissionsG is { } g)
        {
            s.AppendLine(inv, $"  emissions   {Format.Grams(g)} CO2e = {total / 3.6e12:0.####} kWh × PUE {j.Pue:0.##} × {j.CarbonIntensityGPerKwh:0.#} gCO2e/kWh");
        }
        if (j.GpuUtilisation is { } u && j.GpuUtilisationSource == "slurm") s.AppendLine(inv, $"  GPUs        average utilisation {u:P0} (Slurm's gres/gpuutil: no agent measured it)");
        else if (j.GpuUtilisation is { } u2) s.AppendLine(inv, $"  GPUs        average utilisation {u2:P0}, idle {TimeSpan.FromSeconds(Math.Round(j.IdleGpuSeconds ?? 0)):c} of GPU time");
        if (j.LastGpuActivity is { } last && j.EnergyAfterLastGpuActivityUj is > 0 and { } after)
        {
            s.AppendLine(inv, $"  waste       the GPUs were last busy at {Time(last)}; stopping the job then would have saved {Format.Energy(after / 1e6)} ({after / (double)total:P0})");
        }
        else if (j.GpuUtilisation is { } util && util < 0.05 && j.Gpus is > 0)
        {
            s.AppendLine("  waste       the GPUs were never busy: all of this job's GPU energy was idle draw");
        }
        return s.ToString();
    }

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";
}
