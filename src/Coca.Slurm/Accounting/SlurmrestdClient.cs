using System.Text.Json;
using Coca.Core.Accounting;

namespace Coca.Slurm.Accounting;

/// <summary>
/// Slurm's accounting through slurmrestd: <c>GET /slurmdb/VERSION/jobs?start_time=…</c> with Slurm's user and JWT
/// headers, read with <see cref="SlurmrestdJobs"/>. Every failure (unreachable, an error status, an answer that is
/// not JSON, no answer in time) is an <see cref="InvalidOperationException"/> with one line saying which.
/// </summary>
public sealed class SlurmrestdClient(Uri baseUrl, string version, string user, string? token, HttpMessageHandler? handler = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The request's path and query, relative to slurmrestd's base URL.</summary>
    public string PathAndQuery(DateTimeOffset since) => $"slurmdb/{version}/jobs?start_time={since.ToUnixTimeSeconds()}";

    public async Task<(IReadOnlyList<AccountingJob> Jobs, IReadOnlyList<string> Problems)> ReadAsync(DateTimeOffset since, CancellationToken cancel)
    {
        var root = new Uri(baseUrl.OriginalString.TrimEnd('/') + "/");
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = root;
        http.Timeout = Timeout;
        using var request = new HttpRequestMessage(HttpMethod.Get, PathAndQuery(since));
        request.Headers.Add("X-SLURM-USER-NAME", user);
        if (token is not null) request.Headers.Add("X-SLURM-USER-TOKEN", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"slurmrestd at {baseUrl.OriginalString} unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new InvalidOperationException($"slurmrestd at {baseUrl.OriginalString} did not answer within {Timeout.TotalMinutes:0} minutes");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"slurmrestd answered {(int)response.StatusCode} for {request.RequestUri}");
            try
            {
                return SlurmrestdJobs.Parse(body);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"slurmrestd's answer is not JSON: {e.Message}");
            }
        }
    }
}
