using Coca.Core.Attribution;
using System.Text;
using System.Text.Json;
using Coca.Agent.State;

namespace Coca.Agent.Tests.State;

public class StateWriterTests
{
    [Fact]
    public void Hand_written_books_are_byte_for_byte_what_the_serializer_writes()
    {
        var state = Books();
        var expected = JsonSerializer.Serialize(state, AgentJsonContext.Default.Books);
        var written = Encoding.UTF8.GetString(new StateWriter().Write(state));
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Books_read_back_with_NaN_power_null_counters_and_escaped_names()
    {
        var state = Books();
        var back = JsonSerializer.Deserialize(new StateWriter().Write(state), AgentJsonContext.Default.Books)!;
        Assert.True(double.IsNaN(back.Devices["gpu0"].PowerW));
        Assert.Null(back.Devices["gpu0"].Raw);
        Assert.Equal(ulong.MaxValue - 1, back.Devices["rapl:0"].Raw);
        Assert.Equal(double.PositiveInfinity, back.Devices["rapl:1"].PowerW);
        Assert.Equal("o'brien \"the\" <user>", back.Jobs["7_3"].User);
        Assert.Equal(state.Jobs["7_3"].Energy, back.Jobs["7_3"].Energy);
        Assert.Null(back.Jobs["8"].End);
        Assert.Equal(1_700_000_123.25, back.Jobs["7_3"].End);
    }

    [Fact]
    public void A_second_write_replaces_the_first_and_allocates_nothing()
    {
        var writer = new StateWriter();
        var state = Books();
        writer.Write(state);
        state.Jobs.Remove("8");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var json = writer.Write(state);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(JsonSerializer.Serialize(state, AgentJsonContext.Default.Books), Encoding.UTF8.GetString(json));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Books_written_before_per_gpu_figures_framework_and_interactive_still_load()
    {
        // A job's books as agents before issue 13 wrote them: none of the four fields.
        var old = """
            {"version":1,"node":"n","taken_at":1700000000,"next_batch_sequence":3,"incarnation":"","taken_at_timestamp":null,"boot_id":null,"devices":{},
             "jobs":{"8":{"job_id":"8","user":"bob","start":1699999000,"end":null,"energy_uj":[1,2,3,4],"provenance":[1,1,1,0],"gpus":["gpu:GPU-a"],
             "cpu_share_basis":"","gpu_seconds":10,"gpu_busy_seconds":0,"idle_gpu_seconds":10,"last_gpu_activity":null,
             "energy_after_last_gpu_activity_uj":10,"covered_seconds":10,"final":false,"final_at":null}},
             "idle_uj":[0,0,0,0],"unattributed_uj":[0,0,0,0],"retired_uj":[0,0,0,0]}
            """;
        var job = JsonSerializer.Deserialize(old, AgentJsonContext.Default.Books)!.Jobs["8"];
        Assert.Null(job.GpuEnergyUj);
        Assert.Null(job.GpuPeakUtilisation);
        Assert.Null(job.Framework);
        Assert.Null(job.Interactive);
        Assert.Equal(0, job.UnusedGpus(out _));
    }

    [Fact]
    public void Per_gpu_figures_framework_and_interactive_read_back()
    {
        var back = JsonSerializer.Deserialize(new StateWriter().Write(Books()), AgentJsonContext.Default.Books)!.Jobs["7_3"];
        Assert.Equal([0, long.MaxValue], back.GpuEnergyUj!);
        Assert.Equal([null, 0.07], back.GpuPeakUtilisation);
        Assert.Equal(("pytorch", false), (back.Framework, back.Interactive));
    }

    private static Books Books()
    {
        var state = new Books { Node = "gpu-node-01", TakenAt = 1_700_000_000.125, NextBatchSequence = 42 };
        state.Devices["rapl:0"] = new DeviceBook { Kind = "cpu", TotalUj = 123_456_789_012, Raw = ulong.MaxValue - 1, PowerW = 87.5, Wraps = 3, Resets = 1, Rejected = 2 };
        state.Devices["rapl:1"] = new DeviceBook { Kind = "cpu", TotalUj = 1, Raw = 0, PowerW = double.PositiveInfinity };
        state.Devices["gpu0"] = new DeviceBook { Kind = "gpu", TotalUj = 9_000_000_000_000, Raw = null };
        state.Jobs["7_3"] = new JobBook
        {
            JobId = "7_3", User = "o'brien \"the\" <user>", Start = 1_699_999_000, End = 1_700_000_123.25,
            EnergyOnDisk = [1, 2, long.MaxValue, 0], ProvenanceOnDisk = [1, 2, 3, 0], Gpus = ["GPU-0a", "GPU-é"],
            CpuShareBasis = "cgroup cpu time", GpuSeconds = 1.0 / 3, GpuBusySeconds = 1e-9, IdleGpuSeconds = 12345.678,
            LastGpuActivity = 1_699_999_999.5, EnergyAfterLastGpuActivityUj = -5, CoveredSeconds = 0.1 + 0.2, Final = true, FinalAt = 1_700_000_124,
            GpuEnergyUj = [0, long.MaxValue], GpuPeakUtilisation = [null, 0.07], Framework = "pytorch", Interactive = false,
        };
        state.Jobs["8"] = new JobBook { JobId = "8", User = "bob", Start = 1_700_000_000 };
        state.IdleOnDisk = [10, 20, 30, 40];
        state.UnattributedOnDisk = [0, 0, 5, 0];
        state.RetiredOnDisk = [7, 0, 0, 1];
        return state;
    }
}
