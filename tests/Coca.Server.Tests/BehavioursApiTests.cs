using System.Net;
using System.Text.Json;
using Coca.Core.Accounting;

namespace Coca.Server.Tests;

/// <summary><c>GET /api/v1/behaviours</c>: the command's JSON, under the jobs routes' access rules.</summary>
public sealed class BehavioursApiTests : ServerHarness
{
    // A failure each for alice and bob; three failures of one script for bob, a crash loop.
    protected override IReadOnlyList<AccountingJob> Accounting =>
    [
        Failed("1", "alice", 0), Failed("2", "bob", 1), Failed("3", "bob", 2), Failed("4", "bob", 3),
    ];

    private static AccountingJob Failed(string id, string user, int hour) => new()
    {
        JobIdRaw = id, JobId = id, User = user, Name = "train", Nodes = "n1", State = "FAILED", ElapsedS = 120, SlurmEnergyJ = 3.6e6,
        Submit = T0.AddHours(hour), Start = T0.AddHours(hour), End = T0.AddHours(hour).AddMinutes(2),
    };

    [Fact]
    public async Task A_users_token_sees_only_that_users_findings_and_an_admins_sees_all()
    {
        var (status, alice) = await Get(Alice, "api/v1/behaviours");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(alice.GetProperty("findings").EnumerateArray(), f => Assert.Equal("alice", f.GetProperty("user").GetString()));
        Assert.Equal(1, alice.GetProperty("summary").GetProperty("jobs").GetInt32());

        var (_, all) = await Get(Admin, "api/v1/behaviours?kind=crash_loop");
        var loop = Assert.Single(all.GetProperty("findings").EnumerateArray());
        Assert.Equal(("crash_loop", "bob", 3), (loop.GetProperty("kind").GetString(), loop.GetProperty("user").GetString(), loop.GetProperty("jobs").GetArrayLength()));
        Assert.Equal(2.0, loop.GetProperty("wasted_kwh").GetDouble(), 9);
        Assert.Equal("slurm", loop.GetProperty("provenance").GetString());
    }

    [Fact]
    public async Task Another_users_findings_are_403_a_bad_kind_or_by_is_400_and_an_agent_token_is_refused()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(Alice, "api/v1/behaviours?user=bob")).Status);
        var (bad, problem) = await Get(Admin, "api/v1/behaviours?kind=lazy_gpu");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("failed_early", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(Admin, "api/v1/behaviours?by=colour")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(Admin, "api/v1/behaviours?since=yesterday")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(N1, "api/v1/behaviours")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("wrong", "api/v1/behaviours")).Status);
    }

    [Fact]
    public async Task The_by_groups_come_back_with_the_dimension()
    {
        var (_, body) = await Get(Admin, "api/v1/behaviours?by=account");
        Assert.Equal("account", body.GetProperty("by").GetProperty("dimension").GetString());
        var group = Assert.Single(body.GetProperty("by").GetProperty("groups").EnumerateArray());
        Assert.Equal(("unknown", 4), (group.GetProperty("key").GetString(), group.GetProperty("jobs").GetInt32()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("until").ValueKind);
    }
}
