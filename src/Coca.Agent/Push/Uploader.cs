using System.Net;
using System.Net.Http.Headers;

namespace Coca.Agent.Push;

/// <summary>
/// Sends spooled batches to <c>POST /api/v1/ingest</c> in order, with the node's token, and removes each one
/// the server accepted (or had already: a replay). A server that is down or failing leaves them for later.
/// </summary>
internal sealed class Uploader(Spool spool, Uri server, string token, Action<string> log) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };
    private bool _downReported;

    public int Sent { get; private set; }

    /// <summary>Sends what waits; stops at the first batch the server does not take.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        foreach (var (sequence, path) in spool.Pending())
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest") { Content = new StreamContent(File.OpenRead(path)) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (cancellationToken.IsCancellationRequested) return;
                if (!_downReported) log($"server {server} unreachable ({e.Message}); batches wait in {spool.Directory}");
                _downReported = true;
                return;
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    File.Delete(path);
                    Sent++;
                    if (_downReported) log($"server {server} reachable again; sending the spooled batches");
                    _downReported = false;
                    continue;
                }
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    if (!_downReported) log($"server refused batch {sequence} ({(int)response.StatusCode}): check --token-file (coca token issue --node NAME); batches wait");
                    _downReported = true;
                    return;
                }
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    log($"server rejected batch {sequence} as malformed; it is kept as {path}.rejected");
                    File.Move(path, path + ".rejected", overwrite: true);
                    continue;
                }
                if (!_downReported) log($"server answered {(int)response.StatusCode} to batch {sequence}; retrying later");
                _downReported = true;
                return;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
