using Coca.Sources.Redfish;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Redfish;

public class RedfishJsonTests
{
    [Fact]
    public void Environment_metrics_give_power_and_the_energy_counter()
    {
        var (watts, kwh) = RedfishJson.EnvironmentMetrics(RedfishPayloads.EnvironmentMetrics(412.5, 1234.567), "env");
        Assert.Equal(412.5, watts);
        Assert.Equal(1234.567, kwh);
    }

    [Fact]
    public void A_missing_null_or_negative_figure_is_unknown_not_zero()
    {
        Assert.Equal((null, null), RedfishJson.EnvironmentMetrics("""{"PowerWatts":{"Reading":null},"EnergykWh":{"Reading":-3}}""", "env"));
        var power = RedfishJson.Power(RedfishPayloads.LegacyPower(null, null, null), "p");
        Assert.Null(power.ConsumedWatts);
        Assert.Null(power.AverageWatts);
    }

    [Fact]
    public void Malformed_json_is_a_format_error_naming_the_resource()
    {
        var e = Assert.Throws<FormatException>(() => RedfishJson.Power("{\"PowerControl\": [ {\"Name\": PS1 }]}", "/redfish/v1/Chassis/1/Power"));
        Assert.Contains("/redfish/v1/Chassis/1/Power", e.Message);
    }

    [Fact]
    public void A_sensor_gives_its_type_reading_context_and_time()
    {
        var s = RedfishJson.Sensor(RedfishPayloads.Sensor("/redfish/v1/Chassis/1/Sensors/TotalPower", "Power", 374, time: "2019-08-13T04:14:33+06:00"), "x");
        Assert.Equal("Power", s.ReadingType);
        Assert.Equal(374, s.Reading);
        Assert.Equal("Chassis", s.PhysicalContext);
        Assert.Equal(new DateTimeOffset(2019, 8, 13, 4, 14, 33, TimeSpan.FromHours(6)), s.ReadingTime);
    }

    [SharedDataFact("redfish/telegraf-dell_dell_power.json")]
    public void Real_dell_idrac_power_resource_parses()
    {
        var power = RedfishJson.Power(File.ReadAllText(SharedData.PathOf("redfish/telegraf-dell_dell_power.json")!), "dell");
        Assert.Equal(429, power.ConsumedWatts);
        Assert.Equal(426, power.AverageWatts);
        Assert.Equal(1, power.IntervalMinutes);
    }

    [SharedDataFact("redfish/telegraf-dell_dell_powerinvalid.json")]
    public void Real_invalid_dell_payload_is_refused_not_guessed() =>
        Assert.Throws<FormatException>(() => RedfishJson.Power(File.ReadAllText(SharedData.PathOf("redfish/telegraf-dell_dell_powerinvalid.json")!), "dell"));

    [SharedDataFact("redfish/telegraf-hp_hp_power.json")]
    public void Real_hpe_ilo_power_resource_parses()
    {
        var power = RedfishJson.Power(File.ReadAllText(SharedData.PathOf("redfish/telegraf-hp_hp_power.json")!), "hp");
        Assert.Equal(221, power.ConsumedWatts);
        Assert.Equal(20, power.IntervalMinutes);
    }

    [SharedDataFact("redfish/telegraf-dell_dell_chassis.json")]
    public void Real_dell_chassis_links_its_power_resource()
    {
        var links = RedfishJson.Chassis(File.ReadAllText(SharedData.PathOf("redfish/telegraf-dell_dell_chassis.json")!), "c");
        Assert.Equal("System.Embedded.1", links.Id);
        Assert.Equal("/redfish/v1/Chassis/System.Embedded.1/Power", links.Power);
    }

    [SharedDataFact("redfish/dmtf-public-rackmount1/Chassis/1U/EnvironmentMetrics/index.json")]
    public void Real_dmtf_environment_metrics_give_power_only()
    {
        var (watts, kwh) = RedfishJson.EnvironmentMetrics(File.ReadAllText(SharedData.PathOf("redfish/dmtf-public-rackmount1/Chassis/1U/EnvironmentMetrics/index.json")!), "env");
        Assert.Equal(374, watts);
        Assert.Null(kwh);
    }
}
