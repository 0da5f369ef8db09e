using System.Text.Json;
using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.Core.Jobs;
using Coca.Core.Reports;
using Coca.Slurm.Files;
using Coca.Slurm.Jobs;

namespace Coca.Agent.Reports;

/// <summary>
/// A finished job's report, as text (one screen, seff-style) and JSON, in <c>&lt;state-dir&gt;/reports</c>: 0600, root's
/// only, or — with <see cref="ReportOwnership"/> — handed to the job's owner. Each file is written whole or not at all
/// (temporary file, then rename): a full disk throws and leaves nothing, and the job is finished at a later try.
/// </summary>
internal sealed class ReportWriter(string directory, string node, ReportOwnership? ownership = null)
{
    /// <summary>Writes the job's report; returns the path of its text. Throws when it cannot (nothing half-written stays).</summary>
    /// <param name="meter">The node meter's account, when the node has a meter or a model: the report says how <c>other</c> was charged.</param>
    public string Write(JobBook book, NodeMeterBook? meter = null)
    {
        // The id names the files: books read back from disk are checked as the records were.
        if (!JobId.IsValid(book.JobId, JobIdForms.Job | JobIdForms.Steps)) throw new ArgumentException($"job id '{book.JobId}' is not a Slurm job id; no report written");
        var report = JobReport.FromBook(book, node, meter);
        var stem = Path.Combine(directory, book.JobId);
        OwnerOnly.WriteAtomically(stem + ".json", JsonSerializer.Serialize(report, AgentJsonContext.Default.JobReport));
        OwnerOnly.WriteAtomically(stem + ".txt", JobReportText.Render(report));
        ownership?.GiveToOwner(book.User, stem + ".json", stem + ".txt");
        return stem + ".txt";
    }
}
