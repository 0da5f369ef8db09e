using System.Text.Json;
using Coca.Storage.Json;

namespace Coca.Storage.Tests.Json;

public class JobJsonTests
{
    [Fact]
    public void A_measured_job_carries_its_uncertainty_band_and_an_unmeasured_one_a_null()
    {
        var measured = new JobRow { JobIdRaw = "5", JobId = "5", GpuUj = 3_600_000_000, CpuUj = 0, DramUj = 0, OtherUj = 0, Provenance = "none,none,measured,none", Coverage = 1 };
        var json = JsonDocument.Parse(JsonSerializer.Serialize(JobJson.From(measured), StoreJsonContext.Relaxed.JobJson)).RootElement;
        var band = json.GetProperty("uncertainty_j");
        Assert.Equal((3_420.0, 3_780.0), (band.GetProperty("low").GetDouble(), band.GetProperty("high").GetDouble())); // GPU counter: ±5 %

        var unmeasured = JsonDocument.Parse(JsonSerializer.Serialize(JobJson.From(new JobRow { JobIdRaw = "6", JobId = "6", SlurmEnergyJ = 10 }), StoreJsonContext.Relaxed.JobJson)).RootElement;
        Assert.Equal(JsonValueKind.Null, unmeasured.GetProperty("uncertainty_j").ValueKind);
    }
}
