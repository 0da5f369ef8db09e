using System.IO.Compression;
using Coca.Sources.Wattmeter;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Wattmeter;

public sealed class WattmeterTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-wattmeter");

    public void Dispose() => _dir.Dispose();

    private const string Header = "#timestamp,#frame_is_ok,#U1,#U2,#U3,#current1,#activepow1,#current2,#activepow2,#current3,#activepow3,#current4,#activepow4";

    private static string Frame(double t, bool ok, double p1, double p2, double p3, double p4) =>
        FormattableString.Invariant($"{t},{(ok ? 1 : 0)},230.1,229.8,231.0,1.1,{p1},0.9,{p2},1.4,{p3},1.3,{p4}");

    private static readonly ChannelMap Map = ChannelMap.Parse("n51=1+2,n52=3+4");

    [Fact]
    public void A_channel_map_sums_each_nodes_power_supplies()
    {
        Assert.Equal([1, 2], Map.Nodes["n51"]);
        Assert.Equal([3, 4], Map.Nodes["n52"]);
    }

    [Theory]
    [InlineData("n51=1+1x")]
    [InlineData("n51=0")]
    [InlineData("n51=1,n52=1")]
    [InlineData("n51=1,n51=2")]
    [InlineData("=1")]
    [InlineData("")]
    public void A_bad_channel_map_is_refused(string spec) => Assert.Throws<FormatException>(() => ChannelMap.Parse(spec));

    [Fact]
    public void Omegawatt_frames_give_each_nodes_power_and_bad_frames_are_skipped()
    {
        var parser = new WattmeterLines(WattmeterFormat.Omegawatt, Map);
        var samples = new List<WattmeterSample>();
        foreach (var line in new[] { Header, Frame(1000, true, 100, 110, 200, 210), Frame(1001, false, 9999, 9999, 9999, 9999), Frame(1002, true, 101, 111, 201, 211) })
        {
            parser.Read(line, samples);
        }
        Assert.Equal([new(1000, "n51", 210), new(1000, "n52", 410), new(1002, "n51", 212), new(1002, "n52", 412)], samples);
        Assert.Equal(1, parser.BadFrames);
        Assert.Equal(0, parser.Malformed);
    }

    [Fact]
    public void A_malformed_row_is_skipped_alone()
    {
        var parser = new WattmeterLines(WattmeterFormat.Omegawatt, Map);
        var samples = new List<WattmeterSample>();
        parser.Read(Header, samples);
        parser.Read("1000,1,230,230,230,1,NaN,1,5,1,5,1,5", samples);
        parser.Read("not-a-time,1,230,230,230,1,5,1,5,1,5,1,5", samples);
        parser.Read("1001,1,230", samples);
        parser.Read(Frame(1002, true, 1, 2, 3, 4), samples);
        Assert.Equal(2, samples.Count); // both nodes of the good frame
        Assert.Equal(3, parser.Malformed);
    }

    [Fact]
    public void The_generic_csv_gives_power_and_the_meters_energy()
    {
        var parser = new WattmeterLines(WattmeterFormat.Csv, null);
        var samples = new List<WattmeterSample>();
        parser.Read("time,node,power_w,energy_j", samples);
        parser.Read("2026-05-01T12:00:00Z,n51,350.5,1000", samples);
        parser.Read("1777636801,n52,-3,", samples);
        parser.Read("1777636801,n52,300,", samples);
        Assert.Equal(2, samples.Count);
        Assert.Equal(new WattmeterSample(1777636800, "n51", 350.5, 1000), samples[0]);
        Assert.Null(samples[1].EnergyJoules);
        Assert.Equal(1, parser.Malformed);
    }

    [Fact]
    public void Daily_rotated_files_and_zip_archives_are_read_in_order()
    {
        var dir = Directory.CreateDirectory(_dir.Combine("archive")).FullName;
        File.WriteAllLines(Path.Combine(dir, "omegawatt-2026-05-02.csv"), [Header, Frame(86400 * 2, true, 3, 3, 3, 3)]);
        using (var zip = ZipFile.Open(Path.Combine(dir, "omegawatt-2026-05-01.zip"), ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(zip.CreateEntry("omegawatt-2026-05-01.csv").Open());
            w.WriteLine(Header);
            w.WriteLine(Frame(86400, true, 1, 1, 1, 1));
            w.WriteLine(Frame(86401, false, 1, 1, 1, 1));
        }
        var (samples, parser) = WattmeterFiles.Read(dir, WattmeterFormat.Omegawatt, Map);
        Assert.Equal([86400.0, 86400, 172800, 172800], samples.Select(s => s.Time));
        Assert.Equal(1, parser.BadFrames);
    }

    [Fact]
    public async Task The_live_reader_integrates_rows_by_their_own_time_across_a_gap_and_a_rotation()
    {
        var file = _dir.Combine("live.csv");
        File.WriteAllLines(file, [Header, Frame(0, true, 50, 50, 0, 0), Frame(1, true, 50, 50, 0, 0)]);
        using var reader = new WattmeterReader(file, WattmeterFormat.Omegawatt, Map, "n51");
        var first = await reader.ReadAsync(() => 0, CancellationToken.None);
        Assert.Equal(100, first.Watts);
        Assert.Equal(100, first.EnergyJoules); // 1 s at 100 W

        File.AppendAllLines(file, [Frame(2, true, 100, 100, 0, 0), Frame(2.5, false, 1e4, 0, 0, 0), Frame(60, true, 100, 100, 0, 0)]);
        var second = await reader.ReadAsync(() => 1, CancellationToken.None);
        Assert.Equal(100 + 150, second.EnergyJoules); // 1→2 s trapezoid; the 58 s gap is not bridged
        Assert.Equal(58, reader.GapSeconds);

        File.WriteAllLines(file, [Header, Frame(61, true, 100, 100, 0, 0)]); // rotated: a new, shorter file
        var third = await reader.ReadAsync(() => 2, CancellationToken.None);
        Assert.Equal(250 + 200, third.EnergyJoules);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(61), third.MeterTime);
    }

    [Fact]
    public void A_line_still_being_written_waits_for_its_newline()
    {
        var file = _dir.Combine("tail.csv");
        File.WriteAllText(file, "a\nb");
        var tail = new FileTail(file);
        Assert.Equal(["a"], tail.ReadNewLines());
        File.AppendAllText(file, "c\n");
        Assert.Equal(["bc"], tail.ReadNewLines());
        Assert.Empty(tail.ReadNewLines());
    }

    [Fact]
    public void A_node_missing_from_the_channel_map_is_refused() =>
        Assert.Throws<FormatException>(() => new WattmeterReader(_dir.Combine("x.csv"), WattmeterFormat.Omegawatt, Map, "n99"));
}
