using Coca.Core.Attribution;
using Coca.Core.Ingest;
using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Agent.Push;

/// <summary>A batch from the agent's books: every job it still holds (cumulative figures), a point per GPU each job holds, and the jobs' new metrics.</summary>
internal static class BatchBuilder
{
    public static IngestBatch Build(Books state, long sequence, double now, IReadOnlyList<DeviceInfo> devices, ReadOnlySpan<DeviceSample> samples,
        IReadOnlyList<IngestMetric>? metrics = null)
    {
        var asOf = FromUnix(now);
        var jobs = new List<JobMeasurement>();
        var series = new List<SeriesPoint>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++) index[devices[i].Id] = i;
        var other = OtherCharge.Of(state.NodeMeter);
        foreach (var book in state.Jobs.Values)
        {
            var unused = book.UnusedGpus(out var unusedUj);
            jobs.Add(new JobMeasurement
            {
                JobIdRaw = book.JobId,
                Node = state.Node,
                User = book.User,
                Start = FromUnix(book.Start),
                End = book.End is { } e ? FromUnix(e) : null,
                Energy = book.Energy,
                Coverage = book.Coverage(now),
                GpuSeconds = book.GpuSeconds,
                GpuBusySeconds = book.GpuBusySeconds,
                IdleGpuSeconds = book.IdleGpuSeconds,
                LastGpuActivity = book.LastGpuActivity is { } a ? FromUnix(a) : null,
                EnergyAfterLastGpuActivityUj = book.EnergyAfterLastGpuActivityUj,
                UnusedGpus = unused,
                UnusedGpuUj = Math.Clamp(unusedUj, 0, Math.Max(0, book.Energy[ComponentKind.Gpu].Microjoules)), // the server refuses a batch where it exceeds the GPU energy
                Framework = book.Framework,
                Interactive = book.Interactive,
                Final = book.Final,
                OtherCharge = other,
                AsOf = asOf,
            });
            if (book.Final) continue;
            foreach (var gpu in book.Gpus)
            {
                if (!index.TryGetValue(gpu, out var i) || !state.Devices.TryGetValue(gpu, out var device)) continue;
                var s = samples[i];
                series.Add(new SeriesPoint(book.JobId, state.Node, gpu, asOf, device.TotalUj, double.IsNaN(s.PowerW) ? null : s.PowerW,
                    double.IsNaN(s.Utilisation) ? null : s.Utilisation));
            }
        }
        return new IngestBatch(state.Node, sequence, jobs, series, string.IsNullOrEmpty(state.Incarnation) ? null : state.Incarnation,
            metrics is { Count: > 0 } ? metrics : null)
        {
            NodeMeter = MeterTotals(state.NodeMeter, asOf),
        };
    }

    // A meter of the node's own only: a model's "meter" is the components scaled, and its gap to them says nothing of the wall.
    private static NodeMeterTotals? MeterTotals(NodeMeterBook? meter, DateTimeOffset asOf) =>
        meter is { Device.Length: > 0 } m && !m.Device.StartsWith(OtherCharge.ModelPrefix, StringComparison.Ordinal)
            ? new NodeMeterTotals(m.Device, m.MeterUj, m.CoveredComponentsUj, asOf) : null;

    private static DateTimeOffset FromUnix(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}
