using System.CommandLine;
using System.Collections;
using Coca.Commands.Node.Config;
using Coca.Slurm.Accounting;
using Coca.Slurm.Jobs;

namespace Coca.Commands.Node;

/// <summary><c>coca slurm prolog|epilog</c>: hand a job's allocation to the node agent, in well under a second, agent up or not.</summary>
internal static class SlurmCommand
{
    /// <param name="accounting">import-sacct and sync from the site library, or their stand-ins in the node edition.</param>
    public static Command Create(IEnumerable<Command> accounting)
    {
        var slurm = new Command("slurm", "Slurm integration: called from Prolog and Epilog (see deploy/slurm/README.md)");
        slurm.Subcommands.Add(Hook("prolog", """
            Record the job slurmd is starting (from its Prolog environment: SLURM_JOB_ID, SLURM_JOB_USER,
            SLURM_JOB_UID, SLURM_JOB_GPUS, CUDA_VISIBLE_DEVICES, SLURMD_NODENAME) in <state-dir>/jobs, for the agent.
            Writes one small file and returns; the agent need not be running.
            """, prolog: true));
        slurm.Subcommands.Add(Hook("epilog", """
            Record that the job ended (from the Epilog's SLURM_JOB_ID). The agent then finalises the job's
            figures and writes its report to <state-dir>/reports.
            """, prolog: false));
        foreach (var command in accounting) slurm.Subcommands.Add(command);
        return slurm;
    }

    private static Command Hook(string name, string description, bool prolog)
    {
        // Flag and environment only, as before: a configuration file that cannot be read must not fail the Prolog,
        // since a failing Prolog drains the node.
        var stateDir = new Option<string?>("--state-dir") { Description = AgentSettings.StateDir.Help("The agent's state directory", readsConfigFile: false), HelpName = "DIR" };
        var onFailure = new Option<string?>("--on-failure")
        {
            Description = "When the record cannot be written (a full disk): drain (default: drain the node with the reason, the job runs) or fail (exit 1: Slurm requeues the job and drains the node)",
            HelpName = "drain|fail",
        };
        var command = new Command(name, description);
        command.Options.Add(stateDir);
        command.Options.Add(onFailure);
        command.SetAction(parse =>
        {
            var env = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            var directory = CocaSettings.EnvironmentOnly(env.GetValueOrDefault).String(AgentSettings.StateDir, parse.GetValue(stateDir))!;
            var store = new PrologRecords(directory);
            JobRecord record;
            try
            {
                record = PrologEnvironment.Parse(env, DateTimeOffset.UtcNow);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            if (!HookFailure.TryParsePolicy(parse.GetValue(onFailure), out var policy)) throw new UsageException("--on-failure must be drain or fail");
            try
            {
                if (prolog) store.WriteProlog(record);
                else store.WriteEpilog(record.JobId, record.StartedAt);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Never silent: an unrecorded job is an unmeasured one, and Slurm must hear of it (deploy/slurm/README.md).
                var scontrol = new ScontrolClient(env.GetValueOrDefault("COCA_SCONTROL") ?? "scontrol");
                return HookFailure.Handle(policy, name, record.Node, record.JobId, e, scontrol.Drain, Console.Out);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
