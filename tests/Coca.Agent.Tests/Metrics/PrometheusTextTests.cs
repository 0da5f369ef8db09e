using Coca.Core.Attribution;
using Coca.Agent.Metrics;
using Coca.Agent.State;

namespace Coca.Agent.Tests.Metrics;

public class PrometheusTextTests
{
    private static Books State()
    {
        var state = new Books { Node = "gpu07" };
        state.Devices["gpu:GPU-a"] = new DeviceBook { Kind = "gpu", TotalUj = 1_500_000, PowerW = 250 };
        state.Devices["package-0"] = new DeviceBook { Kind = "cpu", TotalUj = 42 };
        state.Jobs["12"] = new JobBook { JobId = "12", User = "al\"ice", EnergyOnDisk = [1, 2, 3_000_000, 0] };
        state.Jobs["11"] = new JobBook { JobId = "11", User = "bob", Final = true, FinalAt = 0 };
        return state;
    }

    [Fact]
    public void Devices_are_labelled_by_uuid_or_zone_with_help_and_type()
    {
        var text = PrometheusText.Write(State(), new Dictionary<string, string>(), new(3, 0, 0.001, 1), now: 100, TimeSpan.FromMinutes(5));
        Assert.Contains("# TYPE coca_device_energy_joules_total counter\n", text);
        Assert.Contains("coca_device_energy_joules_total{node=\"gpu07\",device=\"GPU-a\",kind=\"gpu\"} 1.5\n", text);
        Assert.Contains("coca_device_power_watts{node=\"gpu07\",device=\"GPU-a\",kind=\"gpu\"} 250\n", text);
        Assert.DoesNotContain("coca_device_power_watts{node=\"gpu07\",device=\"package-0\"", text); // NaN power: no sample
        Assert.Contains("coca_job_energy_joules_total{job_id=\"12\",user=\"al\\\"ice\",component=\"gpu\"} 3\n", text);
        Assert.Contains("coca_agent_ticks_total 3\n", text);
    }

    [Fact]
    public void A_scrape_after_the_first_allocates_nothing_and_shows_the_new_figures()
    {
        var state = State();
        var text = new PrometheusText();
        var buffer = new ByteBuffer();
        var kinds = new Dictionary<string, string>();
        var foreign = new Dictionary<string, int> { ["gpu:GPU-a"] = 2 };
        for (var i = 0; i < 3; i++) // the first render encodes the labels; later ones reuse them
        {
            buffer.Clear();
            text.Render(buffer, state, kinds, new(1, 0, 0.001, 1), now: 100, TimeSpan.FromMinutes(5), foreign);
        }
        state.Devices["gpu:GPU-a"].TotalUj = 2_500_000;

        buffer.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        text.Render(buffer, state, kinds, new(2, 0, 0.001, 1), now: 101, TimeSpan.FromMinutes(5), foreign);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var page = System.Text.Encoding.UTF8.GetString(buffer.Written);
        Assert.Contains("coca_device_energy_joules_total{node=\"gpu07\",device=\"GPU-a\",kind=\"gpu\"} 2.5\n", page);
        Assert.Contains("coca_gpu_foreign_processes{node=\"gpu07\",device=\"GPU-a\"} 2\n", page);
        Assert.Contains("coca_agent_ticks_total 2\n", page);
    }

    [Fact]
    public void Finished_jobs_leave_after_the_retention()
    {
        var kept = PrometheusText.Write(State(), new Dictionary<string, string>(), new(0, 0, 0, 0), now: 100, TimeSpan.FromMinutes(5));
        var gone = PrometheusText.Write(State(), new Dictionary<string, string>(), new(0, 0, 0, 0), now: 400, TimeSpan.FromMinutes(5));
        Assert.Contains("job_id=\"11\"", kept);
        Assert.DoesNotContain("job_id=\"11\"", gone);
    }
}
