using System.Globalization;
using Coca.Core.Carbon;
using System.Text;
using Coca.Core.Jobs;
using Coca.Core.Reports;
using Coca.Storage;

namespace Coca.Commands.Site.Output;

/// <summary>
/// <c>coca jobs --csv</c>: RFC 4180 (CRLF line ends, a field quoted when it holds a comma, a quote or a line break,
/// quotes doubled), a header row, units in the column names, an unknown figure as an empty field (never 0), times in
/// ISO 8601 UTC, numbers with a dot. The columns are a public contract (README).
/// </summary>
internal static class JobsCsv
{
    public static readonly string[] Header =
    [
        "job_id", "job_id_raw", "array_job_id", "name", "user", "account", "partition", "nodes", "gpus", "state", "exit_code",
        "submit_utc", "start_utc", "end_utc", "elapsed_s", "energy_kwh", "energy_provenance", "emissions_g", "slurm_energy_kwh",
        "gpu_util_pct", "gpu_util_source", "cpu_efficiency_pct", "memory_efficiency_pct", "timelimit_use_pct",
        "interactive", "framework", "tags", "fingerprint", "embodied_g",
    ];

    public static void Write(TextWriter output, IEnumerable<JobRow> rows, EmbodiedFactors embodied)
    {
        output.Write(Line(Header));
        foreach (var r in rows)
        {
            var e = JobEfficiency.Of(r.ElapsedS, r.TotalCpuS, r.AllocCpus, r.MaxRssBytes, r.ReqMemBytes, r.TimelimitS);
            output.Write(Line(
            [
                r.JobId, r.JobIdRaw, r.ArrayJobId, r.Name, r.User, r.Account, r.Partition, r.Nodes, Int(r.Gpus), r.State, r.ExitCode,
                Time(r.Submit), Time(r.Start), Time(r.End), Int(r.ElapsedS), Number(r.TotalUj / 3.6e12), r.Provenance, Number(r.EmissionsG),
                Number(r.SlurmEnergyJ / 3.6e6), Number(r.GpuUtilisation * 100), r.GpuUtilisationSource,
                Number(e.Cpu.Value * 100), Number(e.Memory.Value * 100), Number(e.TimeLimit.Value * 100),
                r.Interactive switch { true => "true", false => "false", null => null }, r.Framework, r.Tags?.Trim(),
                r.Fingerprint is { } f ? JobFingerprint.Format(f) : null, Number(EmbodiedEmissions.ForJob(r.Gpus, r.ElapsedS, r.AllocCpus, embodied).Grams),
            ]));
        }
    }

    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) return value;
        return new StringBuilder(value.Length + 2).Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }

    private static string? Int(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    // The shortest text that reads back to the same double; a stored NaN or infinity (never written now) stays empty.
    private static string? Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null;

    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
