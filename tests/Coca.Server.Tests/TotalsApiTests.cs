using System.Net;
using System.Text.Json;
using Coca.Core.Accounting;

namespace Coca.Server.Tests;

/// <summary>The API's sums keep their keys and say what they cover: unmeasured energy is null, never 0.</summary>
public sealed class TotalsApiTests : ServerHarness
{
    protected override IReadOnlyList<AccountingJob> Accounting =>
        [new() { JobIdRaw = "1", JobId = "1", User = "bob", Nodes = "n1", State = "FAILED", SlurmEnergyJ = 3.6e6, Submit = T0 }];

    [Fact]
    public async Task Users_and_summary_answer_null_energy_with_the_counts_after_an_import_without_measurements()
    {
        var (status, users) = await Get(Bob, "api/v1/users");
        Assert.Equal(HttpStatusCode.OK, status);
        var bob = users.GetProperty("users")[0];
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("energy_kwh").ValueKind);
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("emissions_g").ValueKind);
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("share_of_energy_not_completed").ValueKind);
        Assert.Equal((0, 1, 0), (bob.GetProperty("measured_jobs").GetInt32(), bob.GetProperty("slurm_energy_jobs").GetInt32(), bob.GetProperty("unknown_energy_jobs").GetInt32()));
        Assert.Equal(1.0, bob.GetProperty("slurm_energy_kwh").GetDouble(), 9);

        var (_, summary) = await Get(Bob, "api/v1/jobs/summary");
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("total").GetProperty("energy_kwh").ValueKind);
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("share_not_completed").ValueKind);
        Assert.Equal(1, summary.GetProperty("total").GetProperty("jobs").GetInt32());
    }
}
