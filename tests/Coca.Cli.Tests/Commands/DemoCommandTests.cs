using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Coca.Cli.Tests.Commands;

/// <summary><c>coca demo</c> comes up, answers with the jobs it loaded through the real paths, keeps a user to their own jobs, and Ctrl-C removes its store.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_comes_up_answers_and_ctrl_c_removes_what_it_made()
    {
        using var demo = Process.Start(CocaProcess.StartInfo(["demo", "--days", "3", "--listen", "http://127.0.0.1:0"]))!;
        var stderr = demo.StandardError.ReadToEndAsync();
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            // Read until the store line, the last one printed once the server is up; the server's own log lines may come between.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (!lines.ContainsKey("store") && await demo.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon] is "server" or "admin token" or "user token" or "admin link" or "user link" or "store") lines[line[..colon]] = line[(colon + 1)..].Trim();
            }
            Assert.True(lines.ContainsKey("store"), "the demo did not come up: " + string.Join(" | ", lines.Values));
            var address = lines["server"];
            using var http = new HttpClient { BaseAddress = new Uri(address + "/") };
            Assert.Equal("ok", (await http.GetStringAsync("health")).Trim());
            using var admin = new HttpRequestMessage(HttpMethod.Get, "api/v1/jobs?limit=100000");
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lines["admin token"]);
            using var all = JsonDocument.Parse(await (await http.SendAsync(admin)).Content.ReadAsStringAsync());
            var jobs = Jobs(all.RootElement).ToList();
            Assert.True(jobs.Count > 100, $"{jobs.Count} jobs");
            // The agents' figures arrived through the ingest API: measured energy beside Slurm's.
            Assert.All(jobs, j => Assert.Equal(JsonValueKind.Object, j.GetProperty("energy_j").ValueKind));
            using var mine = new HttpRequestMessage(HttpMethod.Get, "api/v1/jobs?limit=100000");
            mine.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lines["user token"].Split(' ')[0]);
            using var own = JsonDocument.Parse(await (await http.SendAsync(mine)).Content.ReadAsStringAsync());
            Assert.All(Jobs(own.RootElement), j => Assert.Equal("u001", j.GetProperty("user").GetString()));

            // The user's sign-in link opens the dashboard on their own last days, once.
            var link = lines["user link"].Split(' ')[0];
            using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = true });
            using var home = await browser.GetAsync(link);
            var page = await home.Content.ReadAsStringAsync();
            Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("u001", page, StringComparison.Ordinal);
            Assert.Contains("kWh", page, StringComparison.Ordinal);
            using var again = await new HttpClient().GetAsync(link);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, again.StatusCode);
        }
        finally
        {
            if (!demo.HasExited) Process.Start("kill", ["-INT", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!demo.WaitForExit(TimeSpan.FromSeconds(30))) demo.Kill(entireProcessTree: true);
        }
        var path = lines["store"].Split(' ')[0]["sqlite:".Length..];
        Assert.False(File.Exists(path), (await stderr) + " left " + path);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    private static IEnumerable<JsonElement> Jobs(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.GetProperty("jobs").EnumerateArray();
}
