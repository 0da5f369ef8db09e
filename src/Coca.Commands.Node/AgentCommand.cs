using System.CommandLine;
using System.Runtime.InteropServices;
using Coca.Agent;
using Coca.Commands.Node.Config;

namespace Coca.Commands.Node;

/// <summary><c>coca agent</c>: the node daemon.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var host = new HostPathOptions();
        var gpu = new GpuOptions();
        var meter = new MeterOptions();
        var stateDir = new Option<string?>("--state-dir") { Description = AgentSettings.StateDir.Help("Where job records, the agent's books and job reports live"), HelpName = "DIR" };
        var listen = new Option<string?>("--listen") { Description = AgentSettings.Listen.Help("ADDRESS:PORT for /metrics, loopback by default since fine-grained RAPL readings are a side channel"), HelpName = "ADDR:PORT" };
        var webConfig = new Option<string?>("--web-config") { Description = AgentSettings.WebConfig.Help("Prometheus web.config.yml for /metrics: basic_auth_users (bcrypt hashes) and tls_server_config (cert_file, key_file); without users, energy is served in whole joules"), HelpName = "FILE" };
        var interval = new Option<double?>("--interval") { Description = AgentSettings.Interval.Help("Seconds between ticks, fractions allowed"), HelpName = "SECONDS" };
        var cgroupRoot = new Option<string?>("--cgroup-root") { Description = HostSettings.CgroupRoot.Help("cgroup filesystem root for job discovery"), HelpName = "DIR" };
        var node = new Option<string?>("--node") { Description = AgentSettings.Node.Help("Node name in metrics and reports"), HelpName = "NAME" };
        var retention = new Option<double?>("--job-retention") { Description = AgentSettings.JobRetention.Help("Seconds a finished job stays in /metrics"), HelpName = "SECONDS" };
        var server = new Option<string?>("--server") { Description = AgentSettings.Server.Help("Coca4ai server to push jobs' figures to, e.g. http://coca:8080"), HelpName = "URL" };
        var tokenFile = new Option<string?>("--token-file") { Description = AgentSettings.TokenFile.Help("File holding this node's agent token, from coca token issue --node NAME"), HelpName = "FILE" };
        var pushInterval = new Option<double?>("--push-interval") { Description = AgentSettings.PushInterval.Help("Seconds between batches to the server"), HelpName = "SECONDS" };
        var housekeeping = new Option<double?>("--housekeeping-interval") { Description = AgentSettings.HousekeepingInterval.Help("Seconds between measurements of the jobs' CPU shares (cgroups, /proc/stat), as Slurm's JobAcctGatherFrequency; CPU and DRAM energy is split over the jobs at the end of each such window"), HelpName = "SECONDS" };
        var checkpoint = new Option<double?>("--checkpoint-interval") { Description = AgentSettings.CheckpointInterval.Help("Seconds between saves of the books when no job starts or ends; a crash loses no energy either way"), HelpName = "SECONDS" };
        var readableByOwner = new Option<bool>("--reports-readable-by-owner")
        {
            Description = "Give each finished job's report to the job's user (chown, mode 0400; the state and reports directories become 0711: users open their own report by name, list nothing). Off: everything in --state-dir is root's only (0700/0600)",
        };
        var appendToOutput = new Option<bool>("--append-report-to-output")
        {
            Description = AgentSettings.AppendReportToOutput.Help("Append each finished job's report to the job's own output file (SLURM_JOB_STDOUT, else scontrol's StdOut=), as the job's user, never through a symlink, only to a regular file the user owns"),
        };
        var spoolMax = new Option<int?>("--spool-max") { Description = AgentSettings.SpoolMax.Help("Most batches kept on disk while the server is unreachable"), HelpName = "N" };
        var command = new Command("agent", """
            Run the node agent: sample every source each interval, charge the energy to the Slurm jobs on this node
            (GPUs to the job holding them, CPU packages and DRAM by CPU-time share), and keep the books.

            Jobs come from `coca slurm prolog|epilog` records in --state-dir, cross-checked with the job cgroups.
            The books are saved after every tick; a restarted agent resumes from them and from the hardware
            counters, so energy is neither lost nor counted twice. A finished job's report is written to
            <state-dir>/reports/<job>.txt and .json. /metrics serves Prometheus text format 0.0.4.
            SIGTERM or SIGINT stops it within a tick.
            """);
        var calibration = new Option<string?>("--calibration") { Description = AttributionSettings.Calibration.Help("coca calibrate --json's output: on a node without a meter, its model gives 'other' (derived, labelled with the calibration)"), HelpName = "FILE" };
        var calibrationNode = new Option<string?>("--calibration-node") { Description = AttributionSettings.CalibrationNode.Help("The calibrated node that stands for this node's type"), HelpName = "NODE" };
        foreach (var o in new Option[] { stateDir, listen, webConfig, interval, cgroupRoot, node, retention, server, tokenFile, pushInterval, spoolMax, housekeeping, checkpoint, readableByOwner, appendToOutput, calibration, calibrationNode }) command.Options.Add(o);
        gpu.AddTo(command);
        meter.AddTo(command);
        host.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var settings = host.Settings(parse);
            var sources = host.SourceOptions(parse, settings);
            gpu.Configure(parse, settings, sources, cudaVisibleDevices: null);
            meter.Configure(parse, settings, sources, settings.String(AgentSettings.Node, parse.GetValue(node))!, poll: true, Log);
            var seconds = settings.Double(AgentSettings.Interval, parse.GetValue(interval))!.Value;
            var options = new AgentOptions
            {
                Interval = TimeSpan.FromSeconds(seconds),
                StateDirectory = settings.String(AgentSettings.StateDir, parse.GetValue(stateDir))!,
                Listen = ListenAddress.HostPort(settings.String(AgentSettings.Listen, parse.GetValue(listen))!),
                CgroupRoot = settings.String(HostSettings.CgroupRoot, parse.GetValue(cgroupRoot))!,
                NodeName = settings.String(AgentSettings.Node, parse.GetValue(node))!,
                FinishedJobRetention = TimeSpan.FromSeconds(settings.Double(AgentSettings.JobRetention, parse.GetValue(retention))!.Value),
                Sources = sources,
                HousekeepingInterval = TimeSpan.FromSeconds(settings.Double(AgentSettings.HousekeepingInterval, parse.GetValue(housekeeping))!.Value),
                CheckpointInterval = TimeSpan.FromSeconds(settings.Double(AgentSettings.CheckpointInterval, parse.GetValue(checkpoint))!.Value),
                PushInterval = TimeSpan.FromSeconds(settings.Double(AgentSettings.PushInterval, parse.GetValue(pushInterval))!.Value),
                SpoolMaxBatches = (int)settings.Double(AgentSettings.SpoolMax, parse.GetValue(spoolMax))!.Value,
                ReportsReadableByOwner = parse.GetValue(readableByOwner),
                AppendReportToOutput = parse.GetValue(appendToOutput) || IsTrue(settings, AgentSettings.AppendReportToOutput),
                OtherRule = Core.Attribution.OtherRuleExtensions.TryParse(settings.String(AttributionSettings.Other, null), out var rule)
                    ? rule
                    : throw new UsageException($"setting {AttributionSettings.Other.ConfigKey} must be proportional, equal or cores, got '{settings.String(AttributionSettings.Other, null)}'"),
            };
            if (settings.String(AttributionSettings.Calibration, parse.GetValue(calibration)) is { } calibrationFile)
            {
                options.NodeModel = CalibrationFile.Read(calibrationFile, settings.String(AttributionSettings.CalibrationNode, parse.GetValue(calibrationNode)));
                if (sources.NodeMeter is not null) Log($"--calibration {calibrationFile}: this node has a meter of its own, which is used; the model is not");
            }
            if (settings.String(AgentSettings.Server, parse.GetValue(server)) is { } url)
            {
                if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)) throw new UsageException($"--server '{url}' is not a URL");
                options.Server = uri;
                var file = settings.String(AgentSettings.TokenFile, parse.GetValue(tokenFile))
                    ?? throw new UsageException("--server needs --token-file with this node's agent token (coca token issue --node NAME)");
                try
                {
                    options.Token = File.ReadAllText(file).Trim();
                    // The token lets anyone push this node's figures: it should be root's alone.
                    if (Coca.Slurm.Files.OwnerOnly.ReadableByOthers(file)) Log($"warning: the token file {file} is readable by group or others; chmod 600 it");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot read the token file {file}: {e.Message}");
                }
            }

            if (settings.String(AgentSettings.WebConfig, parse.GetValue(webConfig)) is { } webFile)
            {
                try
                {
                    options.Web = Coca.Agent.Metrics.WebConfigFile.Load(webFile);
                }
                catch (FormatException e)
                {
                    throw new UsageException(e.Message);
                }
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.Cancel(); });
            AgentHost agent;
            try
            {
                agent = new AgentHost(options, Log);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"coca agent: cannot listen on {options.Listen}: {e.Message}");
                return ExitCodes.Failure;
            }
            using (agent)
            {
                await agent.RunAsync(stop.Token).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsTrue(CocaSettings settings, TextSetting setting) => settings.String(setting, null) switch
    {
        "true" => true,
        "false" => false,
        var other => throw new UsageException($"setting {setting.ConfigKey} must be true or false, got '{other}'"),
    };

    private static void Log(string line) =>
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} coca agent: {line}");
}
