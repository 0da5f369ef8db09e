using Coca.Sources.NodeMeter;
using Coca.Sources.Redfish;
using Coca.TestSupport;

namespace Coca.Sources.Tests.Redfish;

[System.Runtime.Versioning.SupportedOSPlatform("linux")] // credentials files are checked by their Unix mode
/// <summary>The Redfish reader against a local HTTPS BMC: discovery per vendor, authentication, faults, TLS.</summary>
public sealed class RedfishReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-redfish");
    private string Ca => _dir.Combine("bmc-ca.pem");
    private static readonly RedfishCredentials Good = new(FakeBmc.User, FakeBmc.Password);

    public void Dispose() => _dir.Dispose();

    private RedfishReader Reader(FakeBmc bmc, RedfishCredentials? credentials = null, RedfishAuth auth = RedfishAuth.Basic, bool useCa = true, bool insecure = false, double timeout = 5) =>
        new(new RedfishOptions { BaseAddress = bmc.Url, Credentials = credentials ?? Good, Auth = auth, CaFile = useCa ? Ca : null, Insecure = insecure, TimeoutSeconds = timeout });

    private static Task<Core.Metering.MeterReading> Read(RedfishReader reader) => reader.ReadAsync(() => 42, CancellationToken.None);

    [Fact]
    public async Task Environment_metrics_with_an_energy_counter_are_preferred_and_read_in_joules()
    {
        await using var bmc = new FakeBmc(new Dictionary<string, string>
        {
            ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/1"),
            ["/redfish/v1/Chassis/1"] = RedfishPayloads.Chassis("1", environment: true, power: true),
            ["/redfish/v1/Chassis/1/EnvironmentMetrics"] = RedfishPayloads.EnvironmentMetrics(512, 100.25),
            ["/redfish/v1/Chassis/1/Power"] = RedfishPayloads.LegacyPower(999),
        }, Ca);
        using var reader = Reader(bmc);
        var reading = await Read(reader);
        Assert.Equal(RedfishPowerKind.EnvironmentMetrics, reader.Found!.Kind);
        Assert.Equal(100.25 * 3.6e6, reading.EnergyJoules);
        Assert.Equal(512, reading.Watts);
        Assert.Equal(42, reading.At);
    }

    [Fact]
    public async Task A_chassis_sensor_of_the_whole_node_is_found_and_a_power_supply_sensor_is_not()
    {
        await using var bmc = new FakeBmc(new Dictionary<string, string>
        {
            ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/Blade7"),
            ["/redfish/v1/Chassis/Blade7"] = RedfishPayloads.Chassis("Blade7", sensors: true),
            ["/redfish/v1/Chassis/Blade7/Sensors"] = RedfishPayloads.Collection("/redfish/v1/Chassis/Blade7/Sensors/PS1InputPower", "/redfish/v1/Chassis/Blade7/Sensors/TotalPower"),
            ["/redfish/v1/Chassis/Blade7/Sensors/PS1InputPower"] = RedfishPayloads.Sensor("/redfish/v1/Chassis/Blade7/Sensors/PS1InputPower", "Power", 180, "PowerSupply"),
            ["/redfish/v1/Chassis/Blade7/Sensors/TotalPower"] = RedfishPayloads.Sensor("/redfish/v1/Chassis/Blade7/Sensors/TotalPower", "Power", 361, time: "2026-05-01T12:00:00Z"),
        }, Ca);
        using var reader = Reader(bmc);
        var reading = await Read(reader);
        Assert.Equal("/redfish/v1/Chassis/Blade7/Sensors/TotalPower", reader.Found!.Path);
        Assert.Equal(361, reading.Watts);
        Assert.Null(reading.EnergyJoules);
        Assert.Equal(DateTimeOffset.Parse("2026-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), reading.MeterTime);
    }

    [Fact]
    public async Task Legacy_power_without_a_consumed_figure_gives_the_average_over_its_interval()
    {
        await using var bmc = new FakeBmc(new Dictionary<string, string>
        {
            ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/1"),
            ["/redfish/v1/Chassis/1"] = RedfishPayloads.Chassis("1", power: true),
            ["/redfish/v1/Chassis/1/Power"] = RedfishPayloads.LegacyPower(null, 300, 1),
        }, Ca);
        using var reader = Reader(bmc);
        var reading = await Read(reader);
        Assert.Equal(300, reading.Watts);
        Assert.Equal(60, reading.AveragedOverSeconds);
    }

    [SharedDataFact("redfish/telegraf-dell_dell_chassis.json")]
    public async Task Real_dell_idrac_is_discovered_at_system_embedded_1_before_its_enclosures()
    {
        var data = SharedData.PathOf("redfish")!;
        await using var bmc = new FakeBmc(new Dictionary<string, string>
        {
            ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/Enclosure.Internal.0-1", "/redfish/v1/Chassis/System.Embedded.1"),
            ["/redfish/v1/Chassis/System.Embedded.1"] = File.ReadAllText(Path.Combine(data, "telegraf-dell_dell_chassis.json")),
            ["/redfish/v1/Chassis/System.Embedded.1/Power"] = File.ReadAllText(Path.Combine(data, "telegraf-dell_dell_power.json")),
        }, Ca);
        using var reader = Reader(bmc);
        var reading = await Read(reader);
        Assert.Equal(new RedfishPowerSource("System.Embedded.1", RedfishPowerKind.LegacyPower, "/redfish/v1/Chassis/System.Embedded.1/Power"), reader.Found);
        Assert.Equal(429, reading.Watts);
        Assert.DoesNotContain(bmc.Paths, p => p.Contains("Enclosure", StringComparison.Ordinal));
    }

    [SharedDataFact("redfish/telegraf-hp_hp_power.json")]
    public async Task Real_hpe_ilo_is_discovered_at_chassis_1()
    {
        await using var bmc = new FakeBmc(new Dictionary<string, string>
        {
            ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/1"),
            ["/redfish/v1/Chassis/1"] = RedfishPayloads.Chassis("1", power: true),
            ["/redfish/v1/Chassis/1/Power"] = File.ReadAllText(SharedData.PathOf("redfish/telegraf-hp_hp_power.json")!),
        }, Ca);
        using var reader = Reader(bmc);
        Assert.Equal(221, (await Read(reader)).Watts);
    }

    [SharedDataFact("redfish/dmtf-public-rackmount1/Chassis/index.json")]
    public async Task Real_dmtf_mockup_is_read_from_its_environment_metrics()
    {
        await using var bmc = new FakeBmc(FakeBmc.FromMockup(SharedData.PathOf("redfish/dmtf-public-rackmount1")!), Ca);
        using var reader = Reader(bmc);
        var reading = await Read(reader);
        Assert.Equal(new RedfishPowerSource("1U", RedfishPowerKind.EnvironmentMetrics, "/redfish/v1/Chassis/1U/EnvironmentMetrics"), reader.Found);
        Assert.Equal(374, reading.Watts);
    }

    private static Dictionary<string, string> Simple(double watts = 250) => new()
    {
        ["/redfish/v1/Chassis"] = RedfishPayloads.Collection("/redfish/v1/Chassis/1"),
        ["/redfish/v1/Chassis/1"] = RedfishPayloads.Chassis("1", power: true),
        ["/redfish/v1/Chassis/1/Power"] = RedfishPayloads.LegacyPower(watts),
    };

    [Fact]
    public async Task A_wrong_password_is_said_without_the_password()
    {
        await using var bmc = new FakeBmc(Simple(), Ca);
        using var reader = Reader(bmc, new RedfishCredentials(FakeBmc.User, "wrong-pa55word"));
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
        Assert.Contains("refused the credentials (HTTP 401)", e.Message);
        Assert.DoesNotContain("wrong-pa55word", e.ToString());
    }

    [Fact]
    public async Task Session_auth_logs_in_once_and_again_when_the_session_expires()
    {
        await using var bmc = new FakeBmc(Simple(), Ca) { SessionsOnly = true };
        using var reader = Reader(bmc, auth: RedfishAuth.Session);
        await Read(reader);
        await Read(reader);
        Assert.Equal(1, bmc.LogIns);
        bmc.ExpireSessions();
        Assert.Equal(250, (await Read(reader)).Watts);
        Assert.Equal(2, bmc.LogIns);
    }

    [Fact]
    public async Task A_refused_session_log_in_is_said_without_the_password()
    {
        await using var bmc = new FakeBmc(Simple(), Ca) { SessionsOnly = true };
        using var reader = Reader(bmc, new RedfishCredentials(FakeBmc.User, "nope-nope"), RedfishAuth.Session);
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
        Assert.Contains("refused the session log-in", e.Message);
        Assert.DoesNotContain("nope-nope", e.ToString());
    }

    [Fact]
    public async Task A_503_is_a_problem_with_its_status()
    {
        await using var bmc = new FakeBmc(Simple(), Ca) { FailWith = 503 };
        using var reader = Reader(bmc);
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
        Assert.Contains("HTTP 503", e.Message);
    }

    [Fact]
    public async Task An_answer_that_never_comes_is_abandoned_at_the_timeout()
    {
        await using var bmc = new FakeBmc(Simple(), Ca) { Hang = true };
        using var reader = Reader(bmc, timeout: 0.2);
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
        Assert.Contains("no answer within 0.2 s", e.Message);
    }

    [Fact]
    public async Task A_certificate_the_system_store_does_not_trust_is_refused()
    {
        await using var bmc = new FakeBmc(Simple(), Ca);
        using var reader = Reader(bmc, useCa: false);
        var e = await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
        Assert.Contains("not trusted", e.Message);
    }

    [Fact]
    public async Task A_certificate_that_chains_to_another_ca_is_refused()
    {
        await using var other = new FakeBmc(Simple(), _dir.Combine("other-ca.pem"));
        await using var bmc = new FakeBmc(Simple(), Ca);
        using var reader = new RedfishReader(new RedfishOptions { BaseAddress = bmc.Url, Credentials = Good, CaFile = _dir.Combine("other-ca.pem") });
        await Assert.ThrowsAsync<MeterProblemException>(() => Read(reader));
    }

    [Fact]
    public async Task Insecure_accepts_any_certificate_and_says_so_in_its_label()
    {
        await using var bmc = new FakeBmc(Simple(), Ca);
        using var reader = Reader(bmc, useCa: false, insecure: true);
        Assert.Equal(250, (await Read(reader)).Watts);
        Assert.Contains("TLS NOT verified", reader.Label);
    }

    [Fact]
    public void A_url_with_credentials_is_refused() =>
        Assert.Throws<FormatException>(() => new RedfishReader(new RedfishOptions { BaseAddress = new Uri("https://root:calvin@bmc") }));

    [Fact]
    public void A_credentials_file_readable_by_others_is_refused_and_its_content_never_shown()
    {
        var file = _dir.Combine("bmc.cred");
        File.WriteAllText(file, "root:hunter2\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<FormatException>(() => RedfishCredentials.Read(file));
        Assert.Contains("chmod 600", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var c = RedfishCredentials.Read(file);
        Assert.Equal(("root", "hunter2"), (c.User, c.Password));
        Assert.DoesNotContain("hunter2", c.ToString());
    }

    [Fact]
    public void A_credentials_file_without_a_colon_is_refused_without_its_content()
    {
        var file = _dir.Combine("bad.cred");
        File.WriteAllText(file, "justapassword\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<FormatException>(() => RedfishCredentials.Read(file));
        Assert.DoesNotContain("justapassword", e.Message);
    }
}
