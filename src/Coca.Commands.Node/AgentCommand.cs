using System.CommandLine;
using System.Runtime.InteropServices;
using Coca.Agent;

namespace Coca.Commands.Node;

/// <summary><c>coca agent</c>: the node daemon.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var host = new HostPathOptions();
        var gpu = new GpuOptions();
        var stateDir = new Option<string?>("--state-dir") { Description = "Where job records, the agent's books and job reports live (default /var/lib/coca; env COCA_STATE_DIR)", HelpName = "DIR" };
        var listen = new Option<string?>("--listen") { Description = "ADDRESS:PORT for /metrics (default 127.0.0.1:9464: loopback, since fine-grained RAPL readings are a side channel; env COCA_LISTEN)", HelpName = "ADDR:PORT" };
        var interval = new Option<double?>("--interval") { Description = "Seconds between ticks, fractions allowed (default 1; env COCA_INTERVAL)", HelpName = "SECONDS" };
        var cgroupRoot = new Option<string?>("--cgroup-root") { Description = "cgroup filesystem root for job discovery (default /sys/fs/cgroup; env COCA_CGROUP_ROOT)", HelpName = "DIR" };
        var node = new Option<string?>("--node") { Description = "Node name in metrics and reports (default: host name; env COCA_NODE)", HelpName = "NAME" };
        var retention = new Option<double?>("--job-retention") { Description = "Seconds a finished job stays in /metrics (default 300)", HelpName = "SECONDS" };
        var server = new Option<string?>("--server") { Description = "Coca4ai server to push jobs' figures to, e.g. http://coca:8080 (env COCA_SERVER; default: none, local only)", HelpName = "URL" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding this node's agent token (coca token issue --node NAME; env COCA_TOKEN_FILE)", HelpName = "FILE" };
        var pushInterval = new Option<double?>("--push-interval") { Description = "Seconds between batches to the server (default 10)", HelpName = "SECONDS" };
        var housekeeping = new Option<double?>("--housekeeping-interval") { Description = "Seconds between measurements of the jobs' CPU shares (cgroups, /proc/stat; default 30, as Slurm's JobAcctGatherFrequency); CPU and DRAM energy is split over the jobs at the end of each such window", HelpName = "SECONDS" };
        var checkpoint = new Option<double?>("--checkpoint-interval") { Description = "Seconds between saves of the books when no job starts or ends (default 60); a crash loses no energy either way", HelpName = "SECONDS" };
        var spoolMax = new Option<int?>("--spool-max") { Description = "Most batches kept on disk while the server is unreachable (default 8640: a day at 10 s)", HelpName = "N" };
        var command = new Command("agent", """
            Run the node agent: sample every source each interval, charge the energy to the Slurm jobs on this node
            (GPUs to the job holding them, CPU packages and DRAM by CPU-time share), and keep the books.

            Jobs come from `coca slurm prolog|epilog` records in --state-dir, cross-checked with the job cgroups.
            The books are saved after every tick; a restarted agent resumes from them and from the hardware
            counters, so energy is neither lost nor counted twice. A finished job's report is written to
            <state-dir>/reports/<job>.txt and .json. /metrics serves Prometheus text format 0.0.4.
            SIGTERM or SIGINT stops it within a tick.
            """);
        foreach (var o in new Option[] { stateDir, listen, interval, cgroupRoot, node, retention, server, tokenFile, pushInterval, spoolMax, housekeeping, checkpoint }) command.Options.Add(o);
        gpu.AddTo(command);
        host.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var settings = host.Settings(parse);
            var sources = host.SourceOptions(parse, settings);
            gpu.Configure(parse, settings, sources, cudaVisibleDevices: null);
            var seconds = settings.Double("agent", "interval", parse.GetValue(interval), 1.0)!.Value;
            if (!(seconds > 0)) throw new UsageException("--interval must be a positive number of seconds");
            var options = new AgentOptions
            {
                Interval = TimeSpan.FromSeconds(seconds),
                StateDirectory = settings.String("agent", "state_dir", parse.GetValue(stateDir), "/var/lib/coca")!,
                Listen = settings.String("agent", "listen", parse.GetValue(listen), "127.0.0.1:9464")!,
                CgroupRoot = settings.String("host", "cgroup_root", parse.GetValue(cgroupRoot), "/sys/fs/cgroup")!,
                NodeName = settings.String("agent", "node", parse.GetValue(node), Environment.MachineName)!,
                FinishedJobRetention = TimeSpan.FromSeconds(settings.Double("agent", "job_retention", parse.GetValue(retention), 300)!.Value),
                Sources = sources,
                HousekeepingInterval = TimeSpan.FromSeconds(settings.Double("agent", "housekeeping_interval", parse.GetValue(housekeeping), 30)!.Value),
                CheckpointInterval = TimeSpan.FromSeconds(settings.Double("agent", "checkpoint_interval", parse.GetValue(checkpoint), 60)!.Value),
                PushInterval = TimeSpan.FromSeconds(settings.Double("agent", "push_interval", parse.GetValue(pushInterval), 10)!.Value),
                SpoolMaxBatches = (int)settings.Double("agent", "spool_max", parse.GetValue(spoolMax), 8640)!.Value,
            };
            if (settings.String("agent", "server", parse.GetValue(server)) is { } url)
            {
                if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)) throw new UsageException($"--server '{url}' is not a URL");
                options.Server = uri;
                var file = settings.String("agent", "token_file", parse.GetValue(tokenFile))
                    ?? throw new UsageException("--server needs --token-file with this node's agent token (coca token issue --node NAME)");
                try
                {
                    options.Token = File.ReadAllText(file).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot read the token file {file}: {e.Message}");
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

    private static void Log(string line) =>
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} coca agent: {line}");
}
