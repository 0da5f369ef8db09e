using Coca.Core.Units;

namespace Coca.Core.Attribution.Offline;

/// <summary>The engine the agent uses, run over recorded readings and jobs.</summary>
public static class OfflineAttribution
{
    public sealed record Result(AttributionLedger Ledger, IReadOnlyList<RecordedJob> Jobs, int Intervals);

    public static Result Run(IReadOnlyList<RecordedInterval> intervals, IReadOnlyList<RecordedJob> jobs)
    {
        var holdingsByNode = new Dictionary<string, List<Holding>>(StringComparer.Ordinal);
        var cpuDevicesByNode = intervals
            .Where(i => DeviceNames.KindOf(i.Device) is ComponentKind.Cpu or ComponentKind.Dram)
            .GroupBy(i => i.Node)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Device).Distinct().ToList());
        foreach (var job in jobs)
        {
            if (!holdingsByNode.TryGetValue(job.Node, out var list)) holdingsByNode[job.Node] = list = [];
            foreach (var gpu in job.Gpus) list.Add(new Holding(job.JobId, gpu, job.Start, job.End, 1.0));
            foreach (var device in cpuDevicesByNode.GetValueOrDefault(job.Node) ?? []) list.Add(new Holding(job.JobId, device, job.Start, job.End, job.CpuShare));
        }

        var ledger = new AttributionLedger();
        foreach (var interval in intervals)
        {
            var kind = DeviceNames.KindOf(interval.Device);
            var holdings = holdingsByNode.GetValueOrDefault(interval.Node) ?? [];
            var split = kind == ComponentKind.Other
                ? EnergySplitter.Unplaceable(interval.Device, interval.EnergyUj)
                : EnergySplitter.Split(interval.Device, interval.EnergyUj, interval.Start, interval.End, holdings);
            ledger.Add(split, kind);
        }
        return new Result(ledger, jobs, intervals.Count);
    }
}
