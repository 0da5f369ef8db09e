using System.Globalization;

namespace Coca.Sources.NvidiaSmi;

/// <summary>One GPU line of <c>nvidia-smi --query-gpu</c>. Missing values (<c>[N/A]</c>, <c>[Not Supported]</c>) are null, never zero.</summary>
public sealed record NvidiaSmiRow(int? Index, string Uuid, string Name, string PciBusId, double? PowerW, double? UtilisationPercent, double? MemoryUsedMiB, double? MemoryTotalMiB);

/// <summary>
/// Parses <c>nvidia-smi --query-gpu=…</c> CSV, with or without its header and units: the
/// fallback's own <c>--format=csv,noheader,nounits</c> output, and the <c>--format=csv</c> captures
/// other tools record (columns then found by name, <c>power.draw [W]</c> and <c>250.00 W</c> alike).
/// </summary>
public static class NvidiaSmiCsv
{
    public static readonly string[] QueryFields = ["index", "uuid", "name", "pci.bus_id", "power.draw", "utilization.gpu", "memory.used", "memory.total"];

    public static string QueryArgument => "--query-gpu=" + string.Join(',', QueryFields);

    public static IReadOnlyList<NvidiaSmiRow> Parse(string text, List<string>? problems = null)
    {
        var lines = text.Split('\n').Select(l => l.Trim('\r', ' ')).Where(l => l.Length > 0).ToList();
        var columns = QueryFields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var start = 0;
        if (lines.Count > 0 && lines[0].Contains("uuid", StringComparison.OrdinalIgnoreCase) && !lines[0].Contains("GPU-", StringComparison.Ordinal))
        {
            columns = lines[0].Split(',').Select((h, i) => (Name: StripUnit(h.Trim()), i))
                .GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            start = 1;
        }

        var rows = new List<NvidiaSmiRow>();
        for (var n = start; n < lines.Count; n++)
        {
            var fields = lines[n].Split(',').Select(f => f.Trim()).ToArray();
            string? Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Length ? Missing(fields[i]) ? null : fields[i] : null;
            var uuid = Field("uuid");
            if (uuid is null || !uuid.StartsWith("GPU-", StringComparison.Ordinal))
            {
                problems?.Add($"line {n + 1}: no GPU UUID, skipped: {lines[n]}");
                continue;
            }
            rows.Add(new NvidiaSmiRow(
                int.TryParse(Field("index"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : null,
                uuid,
                Field("name") ?? "NVIDIA GPU",
                Field("pci.bus_id") ?? "",
                Number(Field("power.draw")),
                Number(Field("utilization.gpu")),
                Number(Field("memory.used")),
                Number(Field("memory.total"))));
        }
        return rows;
    }

    private static bool Missing(string value) => value.Length == 0 || value.StartsWith('[') || value is "N/A" or "Not Supported";

    private static string StripUnit(string header)
    {
        var bracket = header.IndexOf(" [", StringComparison.Ordinal);
        return bracket >= 0 ? header[..bracket] : header;
    }

    private static double? Number(string? value)
    {
        if (value is null) return null;
        var space = value.IndexOf(' ');
        var number = space >= 0 ? value[..space] : value; // "250.00 W", "87 %", "1024 MiB"
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
