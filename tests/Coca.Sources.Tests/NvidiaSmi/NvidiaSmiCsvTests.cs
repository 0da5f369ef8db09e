using Coca.Sources.NvidiaSmi;
using Coca.TestSupport;

namespace Coca.Sources.Tests.NvidiaSmi;

public class NvidiaSmiCsvTests
{
    [Fact]
    public void Noheader_nounits_lines_parse_in_query_order()
    {
        var rows = NvidiaSmiCsv.Parse("0, GPU-abc, NVIDIA H100 80GB HBM3, 00000000:17:00.0, 312.45, 97, 40000, 81559\n");
        var r = Assert.Single(rows);
        Assert.Equal((0, "GPU-abc", "00000000:17:00.0"), (r.Index!.Value, r.Uuid, r.PciBusId));
        Assert.Equal(312.45, r.PowerW);
        Assert.Equal(97, r.UtilisationPercent);
        Assert.Equal(81559, r.MemoryTotalMiB);
    }

    [Fact]
    public void Not_available_values_are_missing_not_zero()
    {
        var r = Assert.Single(NvidiaSmiCsv.Parse("1, GPU-x, Tesla K80, 0000:05:00.0, [N/A], [Not Supported], 10, 11441\n"));
        Assert.Null(r.PowerW);
        Assert.Null(r.UtilisationPercent);
    }

    [Fact]
    public void Header_with_units_maps_columns_by_name()
    {
        var text = "name, uuid, power.draw [W], utilization.gpu [%], memory.used [MiB]\nNVIDIA A100, GPU-1, 250.50 W, 80 %, 1024 MiB\n";
        var r = Assert.Single(NvidiaSmiCsv.Parse(text));
        Assert.Equal(250.5, r.PowerW);
        Assert.Equal(80, r.UtilisationPercent);
        Assert.Equal(1024, r.MemoryUsedMiB);
        Assert.Null(r.Index);
    }

    [Fact]
    public void Line_without_uuid_is_reported_and_skipped()
    {
        var problems = new List<string>();
        var rows = NvidiaSmiCsv.Parse("0, GPU-a, A, 0:1:0.0, 1, 1, 1, 1\ngarbage\n", problems);
        Assert.Single(rows);
        Assert.Contains("line 2", Assert.Single(problems));
    }

    [SharedDataFact("nvidia-smi/h100-80gb-hbm3__590.48.01.capture.txt")]
    public void Real_h100_capture_parses() => AssertCapture("h100-80gb-hbm3__590.48.01.capture.txt", "NVIDIA H100 80GB HBM3");

    [SharedDataFact("nvidia-smi/h100-mig__590.48.01.capture.txt")]
    public void Real_h100_mig_capture_parses() => AssertCapture("h100-mig__590.48.01.capture.txt", "NVIDIA H100 80GB HBM3");

    [SharedDataFact("nvidia-smi/rtx-4080-super__595.71.05.capture.txt")]
    public void Real_rtx_4080_capture_parses() => AssertCapture("rtx-4080-super__595.71.05.capture.txt", "NVIDIA GeForce RTX 4080 SUPER");

    private static void AssertCapture(string file, string model)
    {
        var text = File.ReadAllText(SharedData.PathOf("nvidia-smi/" + file)!);
        foreach (var phase in new[] { "idle", "load" })
        {
            var csv = Section(text, $"# {phase} :: query-gpu (csv");
            var rows = NvidiaSmiCsv.Parse(csv);
            var gpu = Assert.Single(rows);
            Assert.StartsWith("GPU-", gpu.Uuid);
            Assert.Equal(model, gpu.Name);
            Assert.NotNull(gpu.PowerW);
            Assert.InRange(gpu.PowerW!.Value, 1, 1000);
            Assert.NotNull(gpu.MemoryTotalMiB);
        }
    }

    // The lines between a section's "# $ command" banner and the next banner.
    private static string Section(string capture, string title)
    {
        var lines = capture.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(title, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no section {title}");
        var body = lines.Skip(start + 1).SkipWhile(l => l.StartsWith('#')).TakeWhile(l => !l.StartsWith("####", StringComparison.Ordinal));
        return string.Join('\n', body);
    }
}
