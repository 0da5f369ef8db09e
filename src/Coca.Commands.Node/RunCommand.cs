using System.CommandLine;
using System.Globalization;
using Coca.Tracker.Commands;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary><c>coca run -- COMMAND</c>: measure one command, like <c>codecarbon monitor</c>, but exact and honest about estimates.</summary>
internal static class RunCommand
{
    public static Command Create(RunHistoryExtensions? history = null)
    {
        var measure = new MeasureOptions("run", history);
        var command = new Argument<string[]>("command")
        {
            Description = "The command to measure and its arguments, after `--`",
            Arity = ArgumentArity.OneOrMore,
        };

        var run = new Command("run", """
            Run a command and measure the energy and carbon it cost.

            Samples RAPL (CPU packages, DRAM) and NVIDIA GPUs at start, every --interval and at the end.
            GPUs charged: those in CUDA_VISIBLE_DEVICES (indices in PCI bus order, GPU-/MIG- UUIDs), else all;
            estimates CPU (TDP × utilisation) and memory (W per GB) where nothing can be measured, and says so.
            Prints a summary on stderr, appends a row to emissions.csv (CodeCarbon's columns and units) and
            exits with the command's exit code (127: not found, 126: not executable). Signals sent to coca
            (SIGINT, SIGTERM, SIGHUP, SIGQUIT) are passed on to the command.

            Example: coca run --country FRA -- python train.py --epochs 3
            """);
        measure.AddTo(run);
        run.Arguments.Add(command);

        run.SetAction(async (parse, cancel) =>
        {
            var words = parse.GetValue(command)!;
            if (words[0].StartsWith('-')) throw new UsageException($"unknown option '{words[0]}' (see `coca run --help`; the command to measure goes after `--`)");
            // The command inherits coca's environment: the GPUs it may use are the ones charged.
            var (options, projectName) = measure.Resolve(parse, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"));

            RunResult result;
            try
            {
                result = await CommandRunner.RunAsync(words, projectName, options, cancel).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            measure.Report(parse, result);
            return result.ExitCode ?? ExitCodes.Failure;
        });
        return run;
    }

    internal static string Invariant(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
