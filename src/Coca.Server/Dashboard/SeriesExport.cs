using System.Globalization;
using System.Text;
using System.Text.Json;
using Coca.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Coca.Server.Dashboard;

/// <summary>
/// A job's series for download: the CSV beside the page's plot and <c>GET /api/v1/jobs/{id}/series</c>. Both answer 404
/// for an unknown job and 403 for another user's, as the page does.
/// </summary>
internal static class SeriesExport
{
    public static IResult Csv(HttpContext http, Viewer viewer, IJobStore store, ILogger logger, string id)
    {
        if (Find(http, viewer, store, logger, id, out var refusal) is not { } job) return refusal!;
        var b = new StringBuilder("device,time,energy_uj,power_w,power_source,utilisation\n");
        foreach (var p in JobSeries.Power(store.Series(job.JobIdRaw)))
        {
            b.Append(CsvField(p.Device)).Append(',').Append(p.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.EnergyUj.ToString(CultureInfo.InvariantCulture)).Append(',').Append(p.PowerW?.ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.PowerW is null ? "" : p.Derived ? "derived" : "sampled").Append(',').Append(p.Utilisation?.ToString("0.####", CultureInfo.InvariantCulture)).Append('\n');
        }
        Layout.Secure(http.Response);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"job-{SafeName(job.JobId)}-series.csv\"";
        return Results.Text(b.ToString(), "text/csv; charset=utf-8");
    }

    public static IResult Json(HttpContext http, Viewer viewer, IJobStore store, ILogger logger, string id)
    {
        if (Find(http, viewer, store, logger, id, out var refusal, api: true) is not { } job) return refusal!;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("job_id", job.JobId);
            json.WriteStartArray("points");
            foreach (var p in JobSeries.Power(store.Series(job.JobIdRaw)))
            {
                json.WriteStartObject();
                json.WriteString("device", p.Device);
                json.WriteString("time", p.Time.UtcDateTime);
                json.WriteNumber("energy_uj", p.EnergyUj);
                if (p.PowerW is { } w) json.WriteNumber("power_w", Math.Round(w, 3)); else json.WriteNull("power_w");
                if (p.PowerW is null) json.WriteNull("power_source"); else json.WriteString("power_source", p.Derived ? "derived" : "sampled");
                if (p.Utilisation is { } u) json.WriteNumber("utilisation", u); else json.WriteNull("utilisation");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Results.Bytes(buffer.ToArray(), "application/json");
    }

    /// <summary>The job when the viewer may see it; else the refusal: 404 for an unknown id, 403 for another user's job.</summary>
    public static JobRow? Find(HttpContext http, Viewer viewer, IJobStore store, ILogger logger, string id, out IResult? refusal, bool api = false)
    {
        refusal = null;
        var job = Coca.Core.Jobs.JobId.IsValid(id) ? store.Job(id) : null;
        if (job is null)
        {
            refusal = api ? Results.Problem("no such job", statusCode: 404) : Layout.Page(http, viewer, "No such job", "<p>No job has this id.</p>", 404);
        }
        else if (!viewer.MaySee(job))
        {
            var whose = viewer.Account is { } account ? $"a job outside account {account}" : "another user's job";
            logger.LogWarning("403 {Path} for {Role} {Subject}: {Whose}", http.Request.Path, viewer.Role, viewer.Subject, whose);
            refusal = api ? Results.Problem(viewer.Account is null ? "users see only their own jobs" : "an account's manager sees only that account's jobs", statusCode: 403)
                : Layout.Page(http, viewer, "Not yours", viewer.Account is { } a
                    ? $"<p class=\"bad\">This job is not in account {Html.E(a)}: you see only that account's jobs.</p>"
                    : "<p class=\"bad\">This job is another user's: you see only your own.</p>", 403);
            job = null;
        }
        return job;
    }

    private static string CsvField(string text) => text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string SafeName(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_')]);
}
