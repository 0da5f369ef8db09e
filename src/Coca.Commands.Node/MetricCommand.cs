using System.CommandLine;
using Coca.Commands.Node.Config;
using Coca.Core.Metrics;
using Coca.Slurm.Jobs;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary><c>coca metric NAME=VALUE</c>: what a script achieved, stored beside what it cost.</summary>
internal static class MetricCommand
{
    public static Command Create()
    {
        var assignment = new Argument<string>("metric") { Description = "NAME=VALUE, e.g. accuracy=0.91 (name: letters, digits, _ . : / -; value: a finite number)" };
        var step = new Option<long?>("--step") { Description = "The step (epoch, iteration) the value belongs to, ≥ 0", HelpName = "N" };
        var stateDir = new Option<string?>("--state-dir") { Description = AgentSettings.StateDir.Help("The agent's state directory, inside a Slurm job", readsConfigFile: false), HelpName = "DIR" };
        var command = new Command("metric", """
            Record a metric of the run or job this runs in.

            Under `coca run`, `coca track` or the coca4ai tracker ($COCA_METRICS_FILE set): stored with the run's result
            ("metrics" in its JSON). Inside a Slurm job ($SLURM_JOB_ID): appended to STATE_DIR/metrics/JOBID.csv, which
            the node agent sends to the server's store with the job's figures.
            Elsewhere: an error (exit 1).

            Example: coca metric accuracy=0.91 --step 3
            """);
        command.Arguments.Add(assignment);
        command.Options.Add(step);
        command.Options.Add(stateDir);
        command.SetAction(parse =>
        {
            var point = Parse(parse.GetValue(assignment)!, parse.GetValue(step), DateTimeOffset.UtcNow);
            if (Environment.GetEnvironmentVariable(RunMetrics.Variable) is { Length: > 0 } file)
            {
                RunMetrics.Append(file, point);
                return ExitCodes.Success;
            }
            if (Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } jobId)
            {
                var directory = CocaSettings.EnvironmentOnly(Environment.GetEnvironmentVariable).String(AgentSettings.StateDir, parse.GetValue(stateDir))!;
                try
                {
                    new JobMetricsFiles(directory).Append(jobId, point);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException($"SLURM_JOB_ID: {e.Message}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CommandFailedException($"cannot append to the job's metrics file in {directory}/metrics ({e.Message}); the node agent makes that folder when it pushes to a server (coca agent --server)");
                }
                return ExitCodes.Success;
            }
            throw new CommandFailedException($"not inside a run or a Slurm job: neither {RunMetrics.Variable} nor SLURM_JOB_ID is set; the metric is not stored");
        });
        return command;
    }

    internal static MetricPoint Parse(string assignment, long? step, DateTimeOffset now)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new UsageException($"expected NAME=VALUE, got '{MetricPointText(assignment)}'");
        var name = assignment[..equals];
        if (!MetricPoint.IsValidName(name)) throw new UsageException($"metric name '{MetricPointText(name)}' is not 1-{MetricPoint.MaxNameLength} letters, digits, _ . : / -");
        if (!MetricPoint.TryParseValue(assignment[(equals + 1)..], out var value, out var error)) throw new UsageException(error!);
        if (step is < 0) throw new UsageException($"--step must be ≥ 0, got {step}");
        return new MetricPoint(name, value, step, now);
    }

    private static string MetricPointText(string text) => string.Concat(text.Take(40).Select(c => char.IsControl(c) ? '?' : c));
}
