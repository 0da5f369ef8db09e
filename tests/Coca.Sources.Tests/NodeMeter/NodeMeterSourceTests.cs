using Coca.Core.Metering;
using Coca.Core.Readings;
using Coca.Core.Units;
using Coca.Sources.NodeMeter;

namespace Coca.Sources.Tests.NodeMeter;

public class NodeMeterSourceTests
{
    /// <summary>A meter that answers what the test hands it, when the test says so.</summary>
    private sealed class ScriptedMeter : IMeterReader
    {
        public TaskCompletionSource<MeterReading> Next { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;
        public string Name => "scripted";
        public string Label => "a meter the test drives";

        public Task<MeterReading> ReadAsync(Func<double> now, CancellationToken cancel)
        {
            Interlocked.Increment(ref Calls);
            return Next.Task.WaitAsync(cancel);
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void A_meter_that_never_answers_leaves_the_tick_unblocked_and_the_device_unreadable()
    {
        var meter = new ScriptedMeter();
        using var source = new NodeMeterSource(new MeterPoller(meter, 10), staleAfterSeconds: 120);
        source.Poller.Start();
        var samples = new DeviceSample[1];
        source.Sample(1, samples); // returns at once: the read is in flight on the poller's task
        Assert.Equal(DeviceState.Unreadable, samples[0].State);
        Assert.True(source.Devices[0].NodeTotal);
        Assert.False(source.Devices[0].Counted);
        Assert.Equal("node:scripted", source.Devices[0].Id);
    }

    [Fact]
    public async Task A_reading_is_taken_by_the_next_tick_and_held_until_the_meter_refreshes()
    {
        var meter = new ScriptedMeter();
        using var source = new NodeMeterSource(new MeterPoller(meter, 10), staleAfterSeconds: 120);
        meter.Next.SetResult(new MeterReading(0, 400, null));
        Assert.True(await source.Poller.ReadOnceAsync(CancellationToken.None));
        var s = new DeviceSample[1];
        source.Sample(10, s);
        Assert.Equal((DeviceState.Ok, 0L, Provenance.Derived), (s[0].State, s[0].EnergyUj, s[0].Provenance));
        source.Sample(11, s);
        source.Sample(12, s);
        Assert.Equal(800_000_000, s[0].EnergyUj); // 2 s at the held 400 W
        Assert.Equal(400, s[0].PowerW);
    }

    [Fact]
    public async Task A_failed_read_keeps_the_last_reading_and_says_why()
    {
        var meter = new ScriptedMeter();
        using var poller = new MeterPoller(meter, 10);
        meter.Next.SetResult(new MeterReading(0, 400, null));
        await poller.ReadOnceAsync(CancellationToken.None);
        meter.Next = new TaskCompletionSource<MeterReading>();
        meter.Next.SetException(new MeterProblemException("HTTP 503"));
        Assert.False(await poller.ReadOnceAsync(CancellationToken.None));
        Assert.Equal(400, poller.Latest!.Watts);
        Assert.Equal("HTTP 503", poller.Problem);
        Assert.Equal(1, poller.Failures);
    }
}
