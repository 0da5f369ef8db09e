using System.CommandLine;
using Coca.Commands.Node;
using Coca.Core.Metrics;

namespace Coca.Commands.Site;

/// <summary><c>coca metrics import FILE</c>: jobs' metrics logged elsewhere (an MLflow or W&amp;B export) into the store.</summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var metrics = new Command("metrics", "Jobs' metrics (accuracy, loss…) in the store, for `coca tradeoff`.");
        metrics.Subcommands.Add(Import());
        return metrics;
    }

    private static Command Import()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var file = new Argument<string>("file") { Description = "CSV job_id,name,value[,step,time], or - for standard input" };
        var command = new Command("import", """
            Import jobs' metrics: CSV job_id,name,value[,step,time] (a header line is skipped; time ISO 8601 or Unix
            seconds). A value without a step takes the next step of its job and name in the file, so importing the
            same file twice changes nothing; a value that differs from the stored one replaces it. A bad line (job id,
            name, value, step or time) is reported with its number and skipped alone (exit 1); the good ones are kept.
            Example: coca metrics import wandb-export.csv
            """);
        command.Arguments.Add(file);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(parse =>
        {
            var settings = host.Settings(parse);
            var path = parse.GetValue(file)!;
            (List<JobMetric> Metrics, List<MetricLineError> Errors) parsed;
            try
            {
                parsed = MetricCsv.ParseJobs(path == "-" ? ReadAll(Console.In) : File.ReadLines(path));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new UsageException($"{path}: no such file");
            }
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"coca metrics import: {path}:{e.Line}: {e.Reason}");
            using var s = store.Open(parse, settings);
            var result = s.ImportMetrics(parsed.Metrics);
            var jobs = parsed.Metrics.Select(m => m.JobId).Distinct(StringComparer.Ordinal).Count();
            Console.Error.WriteLine($"{parsed.Metrics.Count} points of {jobs} jobs: {result.Written} written, {result.Unchanged} unchanged; {parsed.Errors.Count} bad lines skipped");
            return parsed.Errors.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<string> ReadAll(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }
}
