namespace Coca.Commands.Node.Config;

/// <summary><c>[agent]</c>: the node agent's settings and their defaults, written here and nowhere else.</summary>
public static class AgentSettings
{
    public const string Section = "agent";

    /// <summary>Also where <c>coca slurm prolog|epilog</c> write their records: the two must agree.</summary>
    public static readonly TextSetting StateDir = new(Section, "state_dir", "/var/lib/coca");

    /// <summary>Loopback by default: fine-grained RAPL readings are a side channel.</summary>
    public static readonly TextSetting Listen = new(Section, "listen", "127.0.0.1:9464");

    /// <summary>Prometheus' web.config.yml: basic-auth users (bcrypt) and TLS for /metrics.</summary>
    public static readonly TextSetting WebConfig = new(Section, "web_config", DefaultDescription: "none: no password, energy in whole joules");

    public static readonly NumberSetting Interval = new(Section, "interval", 1.0) { Range = NumberRange.Seconds(0.01, 3600) };
    public static readonly TextSetting Node = new(Section, "node", Environment.MachineName, "this host's name");
    public static readonly NumberSetting JobRetention = new(Section, "job_retention", 300) { Range = NumberRange.Seconds(0, 30 * 86400) };
    public static readonly TextSetting Server = new(Section, "server", DefaultDescription: "none, local only");
    public static readonly TextSetting TokenFile = new(Section, "token_file");
    public static readonly NumberSetting PushInterval = new(Section, "push_interval", 10) { Range = NumberRange.Seconds(0.1, 86400) };
    public static readonly NumberSetting SpoolMax = new(Section, "spool_max", 8640, "8640, a day at 10 s") { Range = new(1, 10_000_000, "batches", Whole: true) };

    /// <summary>As Slurm's JobAcctGatherFrequency.</summary>
    public static readonly NumberSetting HousekeepingInterval = new(Section, "housekeeping_interval", 30) { Range = NumberRange.Seconds(0.1, 86400) };

    public static readonly NumberSetting CheckpointInterval = new(Section, "checkpoint_interval", 60) { Range = NumberRange.Seconds(0.1, 86400) };

    /// <summary>true or false: written as the job's user, never through a symlink.</summary>
    public static readonly TextSetting AppendReportToOutput = new(Section, "append_report_to_output", "false");

    public static IReadOnlyList<Setting> All { get; } =
        [StateDir, Listen, WebConfig, Interval, Node, JobRetention, Server, TokenFile, PushInterval, SpoolMax, HousekeepingInterval, CheckpointInterval, AppendReportToOutput];
}
