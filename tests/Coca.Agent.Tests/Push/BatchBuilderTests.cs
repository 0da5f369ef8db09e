using System.Text.Json;
using Coca.Agent.Push;
using Coca.Agent.Tests.Jobs;
using Coca.Core.Ingest;
using Coca.Core.Units;

namespace Coca.Agent.Tests.Push;

[Collection(NvmlCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BatchBuilderTests(NvmlCollection.Library library) : IDisposable
{
    private readonly AgentFixture _f = new(library.Fresh(), gpus: 2);

    [Fact]
    public void A_two_gpu_job_with_one_gpu_at_zero_sends_one_unused_gpu_with_its_energy()
    {
        _f.Nvml.Gpus[0].UtilGpu = 80;
        _f.Nvml.Gpus[1].UtilGpu = 0;
        _f.Prolog("42", "0,1");
        _f.Cgroup("42", ["step_batch"]);
        using var agent = _f.Agent();
        _f.Run(agent, 10);

        var book = agent.Books.Jobs["42"];
        var batch = BatchBuilder.Build(agent.Books, 1, agent.Books.TakenAt, [], []);
        var sent = Assert.Single(batch.Jobs);
        Assert.Equal(1, sent.UnusedGpus);
        Assert.Equal(book.GpuEnergyUj![1], sent.UnusedGpuUj);
        Assert.True(sent.UnusedGpuUj >= 8_000_000_000 / 1000); // ≈ 100 W for the seconds it was held
        Assert.Equal(book.Energy[ComponentKind.Gpu].Microjoules, book.GpuEnergyUj.Sum());
        Assert.Equal(false, sent.Interactive);
        Assert.Equal(0, agent.Residual());

        var json = JsonSerializer.Serialize(batch, IngestJsonContext.Default.IngestBatch);
        var job = JsonDocument.Parse(json).RootElement.GetProperty("jobs")[0];
        Assert.Equal(1, job.GetProperty("unused_gpus").GetInt32());
        Assert.Equal(sent.UnusedGpuUj, job.GetProperty("unused_gpu_uj").GetInt64());
        Assert.Null(IngestSchema.Problem(JsonDocument.Parse(json).RootElement));

        _f.Epilog("42");
        _f.Run(agent, 3);
        var report = JsonDocument.Parse(File.ReadAllText(_f.Dir.Combine("state", "reports", "42.json"))).RootElement;
        Assert.Equal(1, report.GetProperty("unused_gpus").GetInt32());
    }

    [Fact]
    public void Gpus_that_were_both_busy_send_none_unused()
    {
        _f.Nvml.Gpus[0].UtilGpu = 80;
        _f.Nvml.Gpus[1].UtilGpu = 1;
        _f.Prolog("42", "0,1");
        using var agent = _f.Agent();
        _f.Run(agent, 5);
        var sent = Assert.Single(BatchBuilder.Build(agent.Books, 1, agent.Books.TakenAt, [], []).Jobs);
        Assert.Equal((0, 0L), (sent.UnusedGpus, sent.UnusedGpuUj));
    }

    public void Dispose() => _f.Dispose();
}
