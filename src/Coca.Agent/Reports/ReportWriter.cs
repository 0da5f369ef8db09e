using System.Text.Json;
using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.Core.Reports;

namespace Coca.Agent.Reports;

/// <summary>A finished job's report, as text (one screen, seff-style) and JSON, in <c>&lt;state-dir&gt;/reports</c>.</summary>
internal sealed class ReportWriter(string directory, string node)
{
    /// <summary>Writes the job's report; returns the path of its text.</summary>
    public string Write(JobBook book)
    {
        var report = JobReport.FromBook(book, node);
        var stem = Path.Combine(directory, book.JobId);
        File.WriteAllText(stem + ".txt", JobReportText.Render(report));
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(report, AgentJsonContext.Default.JobReport));
        return stem + ".txt";
    }
}
