using Coca.Sources;

namespace Coca.Agent;

/// <summary>How the node agent runs. Defaults fit a systemd service running as root.</summary>
public sealed class AgentOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
    public string StateDirectory { get; set; } = "/var/lib/coca";

    /// <summary>Address of /metrics. Loopback by default: fine-grained RAPL readings are a side channel (PLATYPUS).</summary>
    public string Listen { get; set; } = "127.0.0.1:9464";

    /// <summary>Who may read /metrics at full resolution, and over TLS (Prometheus' web.config.yml); null: plain HTTP, coarse page.</summary>
    public Metrics.WebConfig? Web { get; set; }

    public string NodeName { get; set; } = Environment.MachineName;
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";
    public string Scontrol { get; set; } = "scontrol";

    /// <summary>
    /// How often the CPU shares are measured again (job cgroups' CPU times and the node's /proc/stat). Ticks in
    /// between only sample and attribute, with the shares of the last window. 30 s is Slurm's own default for job
    /// accounting (JobAcctGatherFrequency=task=30), so sacct's CPU figures have the same grain; the cost is one read
    /// per job per window, which on a node of 64 jobs was the largest part of the tick at 10 s.
    /// </summary>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the books are saved and the GPU processes audited when nothing else asks for it (jobs starting
    /// or ending always save). A crash loses no energy: the restarted agent resumes from the hardware counters.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a finished job's series stay in /metrics.</summary>
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a job's cgroup went away the agent waits for its Epilog record before ending the job itself
    /// (at the time the cgroup went): the backstop for an Epilog that could not write, or none configured.
    /// </summary>
    public TimeSpan EpilogGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Give each finished job's report to the job's user (chown, 0400; state and reports directories 0711). Off: root's only.</summary>
    public bool ReportsReadableByOwner { get; set; }

    /// <summary>
    /// Append each finished job's report to the job's own output file, as the job's user and never through a symlink
    /// (<c>[agent] append_report_to_output</c>). Off by default.
    /// </summary>
    public bool AppendReportToOutput { get; set; }

    public SourceSetOptions Sources { get; set; } = new();

    /// <summary>How what only the node meter sees (other) is charged: <c>[attribution] other</c>.</summary>
    public Core.Attribution.OtherRule OtherRule { get; set; } = Core.Attribution.OtherRule.Proportional;

    /// <summary>A calibrated node type's model: <c>other</c> on a node without a meter (<c>[attribution] calibration</c>); null: none.</summary>
    public Core.Calibration.NodeModel? NodeModel { get; set; }

    /// <summary>The Coca4ai server to push to; null: keep everything local.</summary>
    public Uri? Server { get; set; }

    /// <summary>This node's agent token (coca token issue --node NAME).</summary>
    public string? Token { get; set; }

    /// <summary>How often a batch is made and sent (series resolution).</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most batches kept while the server is unreachable.</summary>
    public int SpoolMaxBatches { get; set; } = 8640;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public string ReportsDirectory => Path.Combine(StateDirectory, "reports");
}
