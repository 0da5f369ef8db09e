using System.Globalization;
using System.Text;
using Coca.TestSupport;

namespace Coca.Cli.Tests.Commands;

public class CalibrateCommandTests
{
    private const double From = 1_777_636_800;

    // The node draws 16 % more than its components at every instant (plus a fixed 40 W): its gap is known exactly.
    private static double Cpu(double t) => 150 + 50 * Math.Sin((t - From) / 60);
    private static double Gpu(double t) => 250 + 100 * Math.Cos((t - From) / 90);
    private static double Node(double t) => 40 + 1.16 * (Cpu(t) + Gpu(t));

    private static (string Wattmeter, string Readings, double Gap) Files(TempDirectory dir)
    {
        var watt = new StringBuilder("#timestamp,#frame_is_ok,#U1,#current1,#activepow1,#current2,#activepow2\n");
        var readings = new StringBuilder("time,node,device,energy_j,power_w,max_energy_j\n");
        double cpuJ = 0, gpuJ = 0, nodeJ = 0, componentJ = 0;
        for (var i = 0; i <= 1800; i++)
        {
            var t = From + i;
            var ok = i % 97 == 50 ? 0 : 1; // a bad frame now and then, with nonsense in it
            var half = ok == 1 ? Node(t) / 2 : 99999;
            watt.Append(CultureInfo.InvariantCulture, $"{t},{ok},230,1,{half:0.###},1,{half:0.###}\n");
            readings.Append(CultureInfo.InvariantCulture, $"{t},n51,package-0,{cpuJ:0.######},,\n{t},n51,gpu0,{gpuJ:0.######},,\n");
            for (var k = 0; k < 50; k++)
            {
                var m = t + (k + 0.5) / 50;
                cpuJ += Cpu(m) / 50;
                gpuJ += Gpu(m) / 50;
                if (i < 1800)
                {
                    nodeJ += Node(m) / 50;
                    componentJ += (Cpu(m) + Gpu(m)) / 50;
                }
            }
        }
        File.WriteAllText(dir.Combine("omegawatt.csv"), watt.ToString());
        File.WriteAllText(dir.Combine("readings.csv"), readings.ToString());
        return (dir.Combine("omegawatt.csv"), dir.Combine("readings.csv"), (nodeJ - componentJ) / nodeJ * 100);
    }

    [Fact]
    public void The_gap_and_model_of_a_node_come_out_as_json()
    {
        using var dir = new TempDirectory();
        var (wattmeter, readings, gap) = Files(dir);
        var r = CocaProcess.Run(["calibrate", "--wattmeter", wattmeter, "--channels", "n51=1+2", "--readings", readings, "--json"]);
        Assert.Equal(0, r.ExitCode);
        var node = Assert.Single(r.Json.GetProperty("nodes").EnumerateArray());
        Assert.Equal("n51", node.GetProperty("node").GetString());
        Assert.Equal(60, node.GetProperty("samples").GetInt32());
        Assert.InRange(node.GetProperty("gap_pct").GetDouble(), gap - 0.5, gap + 0.5);
        var model = node.GetProperty("model");
        Assert.InRange(model.GetProperty("intercept_w").GetDouble(), 35, 45);
        Assert.InRange(model.GetProperty("cpu").GetDouble(), 1.14, 1.18);
        Assert.InRange(model.GetProperty("gpu").GetDouble(), 1.14, 1.18);
        Assert.True(node.GetProperty("r2").GetDouble() > 0.99);
        Assert.True(node.GetProperty("mape_pct").GetDouble() < 1);
        Assert.Equal(19, r.Json.GetProperty("bad_frames").GetInt64());
    }

    [Fact]
    public void An_omegawatt_file_without_channels_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (wattmeter, readings, _) = Files(dir);
        var r = CocaProcess.Run(["calibrate", "--wattmeter", wattmeter, "--readings", readings]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--channels", r.Stderr);
    }

    [Fact]
    public void A_missing_wattmeter_file_is_one_line_not_a_trace()
    {
        using var dir = new TempDirectory();
        var r = CocaProcess.Run(["calibrate", "--wattmeter", dir.Combine("nope.csv"), "--format", "csv", "--readings", dir.Combine("nope2.csv")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
