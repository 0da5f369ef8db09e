using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Core.Readings;
using Coca.Sources;
using Coca.Sources.Ipmi;
using Coca.Sources.NodeMeter;
using Coca.Sources.Redfish;
using Coca.Sources.Wattmeter;

namespace Coca.Commands.Node;

/// <summary>The node's meter: a BMC (Redfish or IPMI DCMI) or a wattmeter's file, at most one, checked once here.</summary>
internal sealed class MeterOptions
{
    public Option<string?> Redfish { get; } = new("--redfish") { Description = MeterSettings.Redfish.Help("The BMC's Redfish address, https://bmc-n51 (the node's meter)"), HelpName = "URL" };
    public Option<string?> RedfishCredentials { get; } = new("--redfish-credentials") { Description = MeterSettings.RedfishCredentials.Help("File of one line user:password, mode 0600"), HelpName = "FILE" };
    public Option<string?> RedfishCa { get; } = new("--redfish-ca") { Description = MeterSettings.RedfishCa.Help("PEM file of the CA the BMC's certificate must chain to"), HelpName = "FILE" };
    public Option<bool> RedfishInsecure { get; } = new("--redfish-insecure") { Description = MeterSettings.RedfishInsecure.Help("Accept any BMC certificate (warned at every start): a trusted management network only") };
    public Option<string?> RedfishAuth { get; } = new("--redfish-auth") { Description = MeterSettings.RedfishAuth.Help("basic, or session (a Redfish session token)"), HelpName = "basic|session" };
    public Option<string?> Ipmi { get; } = new("--ipmi") { Description = MeterSettings.Ipmi.Help("DCMI power reading from the local BMC (local) or a remote one (its host name)"), HelpName = "local|HOST" };
    public Option<string?> IpmiUser { get; } = new("--ipmi-user") { Description = MeterSettings.IpmiUser.Help("User on the remote BMC"), HelpName = "USER" };
    public Option<string?> IpmiPasswordFile { get; } = new("--ipmi-password-file") { Description = MeterSettings.IpmiPasswordFile.Help("File the tool reads the remote BMC's password from (ipmitool -f; FreeIPMI --config-file)"), HelpName = "FILE" };
    public Option<string?> IpmiTool { get; } = new("--ipmi-tool") { Description = MeterSettings.IpmiTool.Help("ipmitool, or freeipmi (ipmi-dcmi)"), HelpName = "ipmitool|freeipmi" };
    public Option<string?> Wattmeter { get; } = new("--wattmeter") { Description = MeterSettings.Wattmeter.Help("A wattmeter's live file (a growing CSV)"), HelpName = "FILE" };
    public Option<string?> WattmeterFormat { get; } = new("--wattmeter-format") { Description = MeterSettings.WattmeterFormat.Help("omegawatt, or csv (time,node,power_w[,energy_j])"), HelpName = "omegawatt|csv" };
    public Option<string?> Channels { get; } = new("--channels") { Description = MeterSettings.Channels.Help("Omegawatt channels per node: n51=1+2,n52=3+4"), HelpName = "SPEC" };
    public Option<double?> Interval { get; } = new("--meter-interval") { Description = MeterSettings.Interval.Help("Seconds between readings of the node's meter"), HelpName = "SECONDS" };
    public Option<double?> Timeout { get; } = new("--meter-timeout") { Description = MeterSettings.Timeout.Help("Seconds one reading of the meter may take"), HelpName = "SECONDS" };
    public Option<double?> StaleAfter { get; } = new("--meter-stale-after") { Description = MeterSettings.StaleAfter.Help("Seconds the last reading stands for the meter"), HelpName = "SECONDS" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Redfish, RedfishCredentials, RedfishCa, RedfishInsecure, RedfishAuth, Ipmi, IpmiUser, IpmiPasswordFile, IpmiTool, Wattmeter, WattmeterFormat, Channels, Interval, Timeout, StaleAfter }) command.Options.Add(o);
    }

    /// <summary>Sets <see cref="SourceSetOptions.NodeMeter"/> from the flags and settings; nothing when no meter is given.</summary>
    /// <param name="node">This node's name: a wattmeter file covers several nodes.</param>
    public void Configure(ParseResult parse, CocaSettings settings, SourceSetOptions sources, string node, bool poll, Action<string> warn)
    {
        var redfish = settings.String(MeterSettings.Redfish, parse.GetValue(Redfish));
        var ipmi = settings.String(MeterSettings.Ipmi, parse.GetValue(Ipmi));
        var wattmeter = settings.String(MeterSettings.Wattmeter, parse.GetValue(Wattmeter));
        var given = new[] { redfish, ipmi, wattmeter }.Count(v => v is not null);
        if (given == 0) return;
        if (given > 1) throw new UsageException("give one node meter: --redfish, --ipmi or --wattmeter");
        var interval = settings.Double(MeterSettings.Interval, parse.GetValue(Interval))!.Value;
        var timeout = settings.Double(MeterSettings.Timeout, parse.GetValue(Timeout))!.Value;
        var stale = settings.Double(MeterSettings.StaleAfter, parse.GetValue(StaleAfter))!.Value;
        var warnings = new List<SourceIssue>();
        Func<IMeterReader> open;
        if (redfish is not null) open = RedfishReader(parse, settings, redfish, timeout, interval, warnings, warn);
        else if (ipmi is not null) open = IpmiReader(parse, settings, ipmi, timeout, interval);
        else open = WattmeterReader(parse, settings, wattmeter!, node);
        sources.NodeMeter = new NodeMeterOptions { Open = open, IntervalSeconds = interval, StaleAfterSeconds = stale, Poll = poll, Warnings = warnings };
    }

    private Func<IMeterReader> RedfishReader(ParseResult parse, CocaSettings settings, string url, double timeout, double interval, List<SourceIssue> warnings, Action<string> warn)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) throw new UsageException($"--redfish '{url}' is not an https:// URL");
        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new UsageException("--redfish must not carry credentials: use --redfish-credentials FILE (user:password, mode 0600)");
        var insecure = parse.GetValue(RedfishInsecure) || Flag(settings.String(MeterSettings.RedfishInsecure, null), MeterSettings.RedfishInsecure);
        var auth = settings.String(MeterSettings.RedfishAuth, parse.GetValue(RedfishAuth)) switch
        {
            "basic" => Sources.Redfish.RedfishAuth.Basic,
            "session" => Sources.Redfish.RedfishAuth.Session,
            var other => throw new UsageException($"--redfish-auth must be basic or session, got '{other}'"),
        };
        RedfishCredentials? credentials = null;
        if (settings.String(MeterSettings.RedfishCredentials, parse.GetValue(RedfishCredentials)) is { } file)
        {
            try
            {
                credentials = Sources.Redfish.RedfishCredentials.Read(file);
            }
            catch (FormatException e)
            {
                throw new UsageException("--redfish-credentials: " + e.Message);
            }
        }
        if (insecure)
        {
            var line = $"the BMC's TLS certificate is NOT verified (--redfish-insecure): anyone on the path to {uri.Host} can read its credentials";
            warn("warning: redfish: " + line);
            warnings.Add(new SourceIssue(Sources.Redfish.RedfishReader.SourceName, line, "give --redfish-ca FILE with the BMC's CA"));
        }
        if (uri.Scheme == "http") warnings.Add(new SourceIssue(Sources.Redfish.RedfishReader.SourceName, "the BMC is read over plain HTTP: its credentials cross the network in clear", "use https://"));
        var options = new RedfishOptions
        {
            BaseAddress = uri,
            Credentials = credentials,
            Auth = auth,
            CaFile = settings.String(MeterSettings.RedfishCa, parse.GetValue(RedfishCa)),
            Insecure = insecure,
            TimeoutSeconds = timeout,
            IntervalSeconds = interval,
        };
        try
        {
            using var check = new Sources.Redfish.RedfishReader(options); // checked now (a CA file that is no certificate): one line, not a failing poller
        }
        catch (FormatException e)
        {
            throw new UsageException("--redfish: " + e.Message);
        }
        return () => new Sources.Redfish.RedfishReader(options);
    }

    private Func<IMeterReader> IpmiReader(ParseResult parse, CocaSettings settings, string target, double timeout, double interval)
    {
        var tool = settings.String(MeterSettings.IpmiTool, parse.GetValue(IpmiTool)) switch
        {
            "ipmitool" => Sources.Ipmi.IpmiTool.Ipmitool,
            "freeipmi" => Sources.Ipmi.IpmiTool.FreeIpmi,
            var other => throw new UsageException($"--ipmi-tool must be ipmitool or freeipmi, got '{other}'"),
        };
        var options = new IpmiOptions
        {
            Tool = tool,
            Host = target == "local" ? null : target,
            User = settings.String(MeterSettings.IpmiUser, parse.GetValue(IpmiUser)),
            PasswordFile = settings.String(MeterSettings.IpmiPasswordFile, parse.GetValue(IpmiPasswordFile)),
            TimeoutSeconds = timeout,
            IntervalSeconds = interval,
        };
        if (options.Host is not null && options.Host.StartsWith('-')) throw new UsageException($"--ipmi '{target}' is not a host name");
        return () => new Sources.Ipmi.IpmiReader(options);
    }

    private Func<IMeterReader> WattmeterReader(ParseResult parse, CocaSettings settings, string file, string node)
    {
        var format = ParseFormat(settings.String(MeterSettings.WattmeterFormat, parse.GetValue(WattmeterFormat))!);
        var channels = ParseChannels(settings.String(MeterSettings.Channels, parse.GetValue(Channels)), format);
        try
        {
            using var check = new Sources.Wattmeter.WattmeterReader(file, format, channels, node);
        }
        catch (FormatException e)
        {
            throw new UsageException("--wattmeter: " + e.Message);
        }
        return () => new Sources.Wattmeter.WattmeterReader(file, format, channels, node);
    }

    public static WattmeterFormat ParseFormat(string text) => text switch
    {
        "omegawatt" => Sources.Wattmeter.WattmeterFormat.Omegawatt,
        "csv" => Sources.Wattmeter.WattmeterFormat.Csv,
        _ => throw new UsageException($"--wattmeter-format/--format must be omegawatt or csv, got '{text}'"),
    };

    public static ChannelMap? ParseChannels(string? spec, WattmeterFormat format)
    {
        if (spec is null)
        {
            return format == Sources.Wattmeter.WattmeterFormat.Omegawatt ? throw new UsageException("an Omegawatt file needs --channels NODE=CHANNEL[+CHANNEL],... (n51=1+2,n52=3+4)") : null;
        }
        try
        {
            return ChannelMap.Parse(spec);
        }
        catch (FormatException e)
        {
            throw new UsageException("--channels: " + e.Message);
        }
    }

    private static bool Flag(string? text, Setting setting) => text switch
    {
        null or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => throw new UsageException($"setting {setting.ConfigKey} must be true or false, got '{text}'"),
    };
}
