using Coca.Sources.Ipmi;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Ipmi;

public class DcmiPowerReadingTests
{
    // ipmitool 1.8.18: left-aligned watts, ctime timestamp, zero-padded period with "Seconds."
    internal const string Ipmitool1818 = """

            Instantaneous power reading:                   167 Watts
            Minimum during sampling period:                124 Watts
            Maximum during sampling period:                422 Watts
            Average power reading over sample period:      156 Watts
            IPMI timestamp:                           Mon Aug  1 21:22:51 2016
            Sampling period:                          00699043 Seconds.
            Power reading state is:                   activated


        """;

    // ipmitool 1.8.19: "%8d Watts", the timestamp as "%x %X", the period in seconds.
    internal const string Ipmitool1819 = """

            Instantaneous power reading:                   212 Watts
            Minimum during sampling period:                 98 Watts
            Maximum during sampling period:                455 Watts
            Average power reading over sample period:      201 Watts
            IPMI timestamp:                           08/01/16 21:22:51
            Sampling period:                          00000001 Seconds.
            Power reading state is:                   activated


        """;

    internal const string FreeIpmi = """
        Current Power                        : 165 Watts
        Minimum Power over sampling duration : 160 watts
        Maximum Power over sampling duration : 235 watts
        Average Power over sampling duration : 174 watts
        Time Stamp                           : 08/01/2016 - 21:22:51
        Statistics reporting time period     : 1000 milliseconds
        Power Measurement                    : Active
        """;

    [Fact]
    public void Ipmitool_1_8_18_layout_parses()
    {
        var r = DcmiPowerReading.Parse(Ipmitool1818);
        Assert.Equal(new DcmiPowerReading(167, 124, 422, 156, new DateTimeOffset(2016, 8, 1, 21, 22, 51, TimeSpan.Zero), 699043, true), r);
    }

    [Fact]
    public void Ipmitool_1_8_19_layout_parses()
    {
        var r = DcmiPowerReading.Parse(Ipmitool1819);
        Assert.Equal(new DcmiPowerReading(212, 98, 455, 201, new DateTimeOffset(2016, 8, 1, 21, 22, 51, TimeSpan.Zero), 1, true), r);
    }

    [Fact]
    public void Freeipmi_statistics_parse()
    {
        var r = DcmiPowerReading.Parse(FreeIpmi);
        Assert.Equal(new DcmiPowerReading(165, 160, 235, 174, new DateTimeOffset(2016, 8, 1, 21, 22, 51, TimeSpan.Zero), 1, true), r);
    }

    [Fact]
    public void A_deactivated_reading_is_marked()
    {
        Assert.False(DcmiPowerReading.Parse(Ipmitool1818.Replace("activated", "deactivated", StringComparison.Ordinal)).Active);
    }

    [Theory]
    [InlineData("")]
    [InlineData("    DCMI request failed because: Invalid command (c1)\n")]
    [InlineData("Instantaneous power reading: lots Watts\n")]
    public void Output_without_a_power_figure_is_refused(string output) =>
        Assert.Throws<FormatException>(() => DcmiPowerReading.Parse(output));

    [SharedDataFact("ipmi/dcmi-power-reading.txt")]
    public void Real_ipmitool_output_parses()
    {
        var r = DcmiPowerReading.Parse(File.ReadAllText(SharedData.PathOf("ipmi/dcmi-power-reading.txt")!));
        Assert.Equal(167, r.InstantWatts);
        Assert.Equal(156, r.AverageWatts);
        Assert.Equal(699043, r.SamplingPeriodSeconds);
        Assert.True(r.Active);
    }
}
