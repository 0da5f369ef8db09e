using Coca.Core.Readings;
using Coca.Core.Units;

namespace Coca.Core.Attribution.Offline;

/// <summary>
/// Recorded readings and jobs replayed through the <see cref="AttributionEngine"/> the agent runs, node by node: every
/// distinct reading time is a tick, a device without a reading at that time is unreadable there (its next reading
/// covers the gap, as in the agent), and each job is a <see cref="Holder"/> with its recorded CPU share. The shares are
/// fixed per job, so the held CPU/DRAM window is split at every tick: the same figures as any longer window, to
/// rounding (the engine's tests pin that).
/// </summary>
public static class OfflineAttribution
{
    /// <summary>Each node's books after the replay, the jobs, and how many reading intervals were attributed.</summary>
    public sealed record Result(IReadOnlyDictionary<string, Books> Nodes, IReadOnlyList<RecordedJob> Jobs, int Intervals)
    {
        /// <summary>A job's energy summed over the nodes it ran on (zero when no reading fell in its span).</summary>
        public ComponentEnergy JobEnergy(string jobId)
        {
            var sum = new ComponentEnergy();
            foreach (var books in Nodes.Values)
            {
                if (books.Jobs.TryGetValue(jobId, out var book)) sum.Add(book.Energy);
            }
            return sum;
        }

        public ComponentEnergy Idle => Sum(static b => b.Idle);
        public ComponentEnergy Unattributed => Sum(static b => b.Unattributed);

        /// <summary>What the devices measured, all nodes together.</summary>
        public Energy Total
        {
            get
            {
                var total = Energy.Zero;
                foreach (var books in Nodes.Values)
                {
                    foreach (var device in books.Devices.Values) total += device.Total;
                }
                return total;
            }
        }

        /// <summary>Measured minus placed, all nodes together: 0 when the books balance.</summary>
        public long ResidualUj
        {
            get
            {
                long residual = 0;
                foreach (var books in Nodes.Values)
                {
                    residual += books.Devices.Values.Sum(d => d.TotalUj) - books.Placed().Microjoules;
                }
                return residual;
            }
        }

        private ComponentEnergy Sum(Func<Books, ComponentEnergy> part)
        {
            var sum = new ComponentEnergy();
            foreach (var books in Nodes.Values) sum.Add(part(books));
            return sum;
        }
    }

    public static Result Run(IReadOnlyList<RecordedSeries> readings, IReadOnlyList<RecordedJob> jobs)
    {
        var nodes = new SortedDictionary<string, Books>(StringComparer.Ordinal);
        var intervals = 0;
        foreach (var group in readings.GroupBy(r => r.Node, StringComparer.Ordinal))
        {
            var series = group.OrderBy(s => s.Device, StringComparer.Ordinal).ToArray();
            var nodeJobs = jobs.Where(j => j.Node == group.Key).ToList();
            nodes[group.Key] = Replay(group.Key, series, nodeJobs);
            intervals += series.Sum(s => Math.Max(0, s.Points.Count - 1));
        }
        return new Result(nodes, jobs, intervals);
    }

    private static Books Replay(string node, RecordedSeries[] series, List<RecordedJob> jobs)
    {
        var devices = series.Select(s => new DeviceInfo(s.Device, DeviceNames.KindOf(s.Device), Counted: true, "recorded", s.Device)).ToArray();
        var books = new Books { Node = node };
        var engine = new AttributionEngine(devices, books);
        var holders = jobs
            .Select(j => new Holder(j.JobId, j.User, j.Start, j.End, j.Gpus, GpuIndices(devices, j.Gpus), j.CpuShare,
                double.IsNaN(j.CpuShare) ? "unknown (no cpu_share recorded)" : "recorded cpu_share"))
            .OrderBy(h => h.From)
            .ToArray();

        // Every reading as (time, device), in time order; a tick takes all the readings of one time.
        var events = new List<(double Time, int Device, RecordedPoint Point)>();
        for (var d = 0; d < series.Length; d++)
        {
            foreach (var p in series[d].Points) events.Add((p.Time, d, p));
        }
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Device.CompareTo(b.Device));

        var samples = new DeviceSample[devices.Length];
        var lastReading = new double[devices.Length];
        Array.Fill(lastReading, double.NaN);
        var active = new List<Holder>();
        var started = 0;
        for (var e = 0; e < events.Count;)
        {
            var now = events[e].Time;
            for (var d = 0; d < samples.Length; d++) samples[d] = DeviceSample.Empty with { State = DeviceState.Unreadable };
            for (; e < events.Count && events[e].Time == now; e++)
            {
                ref var s = ref samples[events[e].Device];
                s.State = DeviceState.Ok;
                s.EnergyUj = events[e].Point.CumulativeUj;
                s.Provenance = events[e].Point.Provenance;
                s.Event = events[e].Point.Event;
            }

            // The holders that may overlap an interval ending now or later: from the oldest last reading of any device.
            var from = now;
            foreach (var t in lastReading)
            {
                if (!double.IsNaN(t)) from = Math.Min(from, t);
            }
            for (; started < holders.Length && holders[started].From < now; started++) active.Add(holders[started]);
            active.RemoveAll(h => h.To <= from);
            engine.Tick(now, samples, active.ToArray(), settle: true);
            for (var d = 0; d < samples.Length; d++)
            {
                if (samples[d].State == DeviceState.Ok) lastReading[d] = now;
            }
        }
        return books;
    }

    private static int[] GpuIndices(DeviceInfo[] devices, IReadOnlyList<string> gpus) =>
        [.. gpus.Select(g => Array.FindIndex(devices, d => d.Id == g && d.Component == ComponentKind.Gpu)).Where(i => i >= 0)];
}
