using System.Text;
using Coca.Slurm.Accounting;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Reports;

/// <summary>
/// <c>--append-report-to-output</c>: a finished job's report (the text <see cref="ReportWriter"/> wrote) appended to the
/// job's own output file, where its user already looks, through <see cref="OutputAppender"/>. The file is the Prolog's
/// <c>SLURM_JOB_STDOUT</c>, else scontrol's <c>StdOut=</c>. Done at most once: after the book is final, so a crash never
/// appends twice. Any failure is one log line; the report file in the reports directory stays either way.
/// </summary>
internal sealed class ReportToOutput(PrologRecords records, ScontrolClient scontrol, Action<string> log)
{
    public void Deliver(string jobId, string user, string reportPath)
    {
        try
        {
            var path = OutputPath(records.Read(jobId)?.SlurmEnvironment, () => scontrol.StdOutPath(jobId));
            if (path is null)
            {
                log($"job {jobId}: report not appended to its output: neither its Prolog record nor scontrol names its output file");
                return;
            }
            var text = "\n" + File.ReadAllText(reportPath);
            if (OutputAppender.Append(path, user, Encoding.UTF8.GetBytes(text)) is { } refused)
            {
                log($"job {jobId}: report not appended to {path}: {refused}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            log($"job {jobId}: report not appended to its output: {e.Message}");
        }
    }

    /// <summary>The job's output file: the Prolog's <c>SLURM_JOB_STDOUT</c> when Slurm gave it, else what scontrol says.</summary>
    public static string? OutputPath(IReadOnlyDictionary<string, string>? prologEnvironment, Func<string?> fromScontrol) =>
        prologEnvironment is not null && prologEnvironment.TryGetValue("SLURM_JOB_STDOUT", out var path) && !string.IsNullOrWhiteSpace(path)
            ? path
            : fromScontrol();
}
