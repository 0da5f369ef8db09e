using System.CommandLine;
using Coca.Tracker.Commands;
using Coca.Tracker.Results;

namespace Coca.Commands.Node;

/// <summary><c>coca track --pid PID</c>: <c>coca run</c>'s measurement of a process already running — what language bindings call.</summary>
internal static class TrackCommand
{
    public static Command Create(RunHistoryExtensions? history = null)
    {
        var measure = new MeasureOptions("track", history);
        var pid = new Option<int>("--pid") { Description = "The process to measure, with every process below it", HelpName = "PID", Required = true };

        var track = new Command("track", """
            Measure a running process and its descendants until it exits or coca gets SIGINT, SIGTERM or SIGHUP.

            The same meters, estimates and attribution as `coca run`; the result is `coca run --json`'s object
            (exit_code null: the process is not coca's child) and the emissions.csv row. GPUs charged: those in
            coca's own CUDA_VISIBLE_DEVICES (a binding starts coca with the script's environment), else all.
            Prints "coca track: measuring pid PID" on stderr once the first sample is taken. When coca is the
            process's child, its own CPU time is not charged to it.

            Example (what the coca4ai Python package runs): coca track --pid 4242 --json-file /tmp/run.json
            """);
        track.Options.Add(pid);
        measure.AddTo(track);

        track.SetAction(async (parse, cancel) =>
        {
            var (options, projectName) = measure.Resolve(parse, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"));
            var target = parse.GetValue(pid);
            // A binding (coca4ai) gives its run's metrics file in coca's environment.
            options.MetricsFile = Environment.GetEnvironmentVariable(RunMetrics.Variable) is { Length: > 0 } metrics ? metrics : null;
            RunResult result;
            try
            {
                result = await PidTracker.TrackAsync(target, projectName, options,
                    () => Console.Error.WriteLine($"coca track: measuring pid {target}"), cancel).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            measure.Report(parse, result, target);
            return ExitCodes.Success;
        });
        return track;
    }
}
