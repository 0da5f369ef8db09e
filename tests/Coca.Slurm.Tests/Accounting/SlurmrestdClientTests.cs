using System.Net;
using System.Text;
using Coca.Slurm.Accounting;

namespace Coca.Slurm.Tests.Accounting;

public class SlurmrestdClientTests
{
    private const string OneJob = """{"jobs": [{"job_id": 77, "name": "rest", "user": "erin", "state": {"current": ["COMPLETED"]}, "time": {"submission": 1767225600, "start": 1767225601, "end": 1767225661, "elapsed": 60}}]}""";
    private static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Answers every request with one status and body, and keeps the last request seen.</summary>
    private sealed class Stub(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Seen { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen = request;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private static SlurmrestdClient Client(Stub stub, string? token = "eyJ.fake.jwt", string url = "http://slurm:6820") =>
        new(new Uri(url), "v0.0.40", "slurm", token, stub);

    [Fact]
    public async Task The_request_names_the_api_version_the_start_time_the_user_and_the_token()
    {
        var stub = new Stub(HttpStatusCode.OK, OneJob);

        var (jobs, problems) = await Client(stub, url: "http://slurm:6820/base/").ReadAsync(Since, CancellationToken.None);

        Assert.Equal("http://slurm:6820/base/slurmdb/v0.0.40/jobs?start_time=1767225600", stub.Seen!.RequestUri!.ToString());
        Assert.Equal(["slurm"], stub.Seen.Headers.GetValues("X-SLURM-USER-NAME"));
        Assert.Equal(["eyJ.fake.jwt"], stub.Seen.Headers.GetValues("X-SLURM-USER-TOKEN"));
        Assert.Equal(("77", "erin"), (Assert.Single(jobs).JobIdRaw, jobs[0].User!));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Without_a_token_no_token_header_is_sent()
    {
        var stub = new Stub(HttpStatusCode.OK, OneJob);
        await Client(stub, token: null).ReadAsync(Since, CancellationToken.None);
        Assert.False(stub.Seen!.Headers.Contains("X-SLURM-USER-TOKEN"));
    }

    [Fact]
    public async Task An_error_status_or_an_answer_that_is_not_json_is_one_line_saying_which()
    {
        var denied = await Assert.ThrowsAsync<InvalidOperationException>(() => Client(new Stub(HttpStatusCode.Unauthorized, "")).ReadAsync(Since, CancellationToken.None));
        Assert.StartsWith("slurmrestd answered 401 for http://slurm:6820/slurmdb/v0.0.40/jobs", denied.Message);

        var garbled = await Assert.ThrowsAsync<InvalidOperationException>(() => Client(new Stub(HttpStatusCode.OK, "<html>proxy</html>")).ReadAsync(Since, CancellationToken.None));
        Assert.StartsWith("slurmrestd's answer is not JSON", garbled.Message);
        Assert.DoesNotContain('\n', garbled.Message);
    }
}
