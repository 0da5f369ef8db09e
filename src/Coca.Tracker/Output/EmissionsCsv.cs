using System.Globalization;
using System.Text;
using Coca.Core.Carbon;
using Coca.Core.Units;
using Coca.Tracker.Results;

namespace Coca.Tracker.Output;

/// <summary>
/// Appends a run to <c>emissions.csv</c> with CodeCarbon's columns and units (energy in kWh,
/// emissions in kg, power in W, RAM in GB), machine-level figures as CodeCarbon writes them, so
/// that existing notebooks and dashboards read it unchanged.
/// </summary>
public static class EmissionsCsv
{
    public const string FileName = "emissions.csv";

    public static readonly string[] Columns =
    [
        "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
        "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
        "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os", "python_version",
        "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
        "ram_total_size", "tracking_mode", "on_cloud", "pue",
    ];

    /// <summary>Appends one row, writing the header first when the file is new. Returns the file's path.</summary>
    /// <remarks>A file with other columns is kept as <c>emissions.csv.bak</c> rather than mixed with ours, as CodeCarbon does.</remarks>
    public static string Append(string directory, RunResult run)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var header = string.Join(',', Columns);
        if (File.Exists(path))
        {
            var first = File.ReadLines(path).FirstOrDefault();
            if (first is not null && first != header)
            {
                File.Move(path, path + ".bak", overwrite: true);
            }
        }
        var text = new StringBuilder();
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            text.Append(header).Append('\n');
        }
        text.Append(string.Join(',', Row(run).Select(Escape))).Append('\n');
        File.AppendAllText(path, text.ToString());
        return path;
    }

    internal static IEnumerable<string> Row(RunResult r)
    {
        var d = Math.Max(r.DurationS, 1e-9);
        var kg = EnergyUnits.GramsToKg(r.Carbon.EmissionsG);
        var country = r.Carbon.Country is { } iso ? CarbonIntensityTable.Find(iso)?.Name ?? "" : "";
        return
        [
            r.EndedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            r.Project,
            r.RunId,
            "",
            F(r.DurationS),
            F(kg),
            F(kg / d),
            F(r.EnergyJ.Cpu / d),
            F(r.EnergyJ.Gpu / d),
            F(r.EnergyJ.Dram / d),
            F(EnergyUnits.JoulesToKwh(r.EnergyJ.Cpu)),
            F(EnergyUnits.JoulesToKwh(r.EnergyJ.Gpu)),
            F(EnergyUnits.JoulesToKwh(r.EnergyJ.Dram)),
            F(EnergyUnits.JoulesToKwh(r.EnergyJ.Total)),
            country,
            r.Carbon.Country ?? "",
            "",
            "",
            "",
            r.Machine.Os,
            "",
            "coca " + typeof(EmissionsCsv).Assembly.GetName().Version?.ToString(3),
            r.Machine.CpuCount.ToString(CultureInfo.InvariantCulture),
            r.Machine.CpuModel,
            r.Machine.GpuCount.ToString(CultureInfo.InvariantCulture),
            r.Machine.GpuModel,
            "",
            "",
            F(r.Machine.RamTotalGb),
            "machine",
            "N",
            F(r.Carbon.Pue),
        ];
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
