namespace Coca.Commands.Node.Config;

/// <summary><c>[meter]</c>: the node's own meter (a BMC through Redfish or IPMI DCMI, an external wattmeter), at most one.</summary>
public static class MeterSettings
{
    public const string Section = "meter";

    public static readonly TextSetting Redfish = new(Section, "redfish", DefaultDescription: "none");
    public static readonly TextSetting RedfishCredentials = new(Section, "redfish_credentials");
    public static readonly TextSetting RedfishCa = new(Section, "redfish_ca", DefaultDescription: "the system's store");

    /// <summary>"true" accepts any certificate, with a warning at every start.</summary>
    public static readonly TextSetting RedfishInsecure = new(Section, "redfish_insecure", "false");

    public static readonly TextSetting RedfishAuth = new(Section, "redfish_auth", "basic");

    /// <summary><c>local</c> (the kernel's IPMI driver) or a BMC's host name.</summary>
    public static readonly TextSetting Ipmi = new(Section, "ipmi", DefaultDescription: "none");
    public static readonly TextSetting IpmiUser = new(Section, "ipmi_user");
    public static readonly TextSetting IpmiPasswordFile = new(Section, "ipmi_password_file");
    public static readonly TextSetting IpmiTool = new(Section, "ipmi_tool", "ipmitool");

    public static readonly TextSetting Wattmeter = new(Section, "wattmeter", DefaultDescription: "none");
    public static readonly TextSetting WattmeterFormat = new(Section, "wattmeter_format", "omegawatt");
    public static readonly TextSetting Channels = new(Section, "channels");

    public static readonly NumberSetting Interval = new(Section, "meter_interval", 10) { Range = NumberRange.Seconds(0.1, 3600) };
    public static readonly NumberSetting Timeout = new(Section, "meter_timeout", 5) { Range = NumberRange.Seconds(0.1, 300) };

    /// <summary>Three refreshes of a slow BMC (iDRAC's is about a minute): past it the meter reads as unreadable.</summary>
    public static readonly NumberSetting StaleAfter = new(Section, "meter_stale_after", 180) { Range = NumberRange.Seconds(1, 86400) };

    public static IReadOnlyList<Setting> All { get; } =
        [Redfish, RedfishCredentials, RedfishCa, RedfishInsecure, RedfishAuth, Ipmi, IpmiUser, IpmiPasswordFile, IpmiTool, Wattmeter, WattmeterFormat, Channels, Interval, Timeout, StaleAfter];
}
