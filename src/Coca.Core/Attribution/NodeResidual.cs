using Coca.Core.Units;

namespace Coca.Core.Attribution;

/// <summary>
/// The engine's part for a node meter: each tick, <c>other</c> = node − (CPU + DRAM + GPU), never negative (a negative
/// residual is counted and carried as a deficit that later positive residuals make up first, not charged); held for
/// the window like the CPU packages, and split at its end by the <see cref="OtherRule"/>, exactly (<see cref="ExactSplit"/>).
/// A tick the meter did not read is not compared; for a meter with a counter, the components' energy of those ticks is
/// compared at its next reading, whose step spans them.
/// </summary>
internal sealed class NodeResidual
{
    private readonly NodeMeterBook _book;
    private readonly OtherRule _rule;
    private readonly HeldEnergy _held = new();
    private long _pendingUj;
    private bool _baseline;
    // What each job, idle and unattributed had drawn (CPU, DRAM, GPU) when the window began: the proportional weights.
    private readonly Dictionary<JobBook, long> _jobsAtStart = new(ReferenceEqualityComparer.Instance);
    private long _idleAtStart, _unattributedAtStart;
    private double[] _weights = new double[16];
    private long[] _parts = new long[18];

    public NodeResidual(Books books, string device, OtherRule rule, double? mapePct = null)
    {
        _book = books.NodeMeter ??= new NodeMeterBook();
        _book.Device = device;
        _book.Rule = rule.ToWire();
        _book.MapePct = mapePct;
        _rule = rule;
    }

    public NodeMeterBook Book => _book;
    public long HeldUj => _held.Uj;

    /// <summary>
    /// One tick: whether the meter was <paramref name="read"/>, whether its energy spans time (<paramref name="spanned"/>:
    /// not its first reading, a baseline), its energy since its last reading and the components' in the tick.
    /// </summary>
    public void Tick(double from, double now, bool read, bool spanned, bool counter, long meterUj, long componentsUj, Provenance provenance)
    {
        if (!read)
        {
            // Not compared now; a counter's next step spans these ticks, so their components wait for it.
            if (_baseline) _pendingUj += componentsUj;
            return;
        }
        if (!spanned || !counter) _pendingUj = 0; // a baseline, or held power (it does not span a silence): those ticks stay uncompared
        _baseline = true;
        if (!spanned) return;
        var components = componentsUj + _pendingUj;
        _pendingUj = 0;
        _book.MeterUj += meterUj;
        _book.CoveredComponentsUj += components;
        var residual = meterUj - components - _book.DeficitUj;
        if (meterUj - components < 0) _book.NegativeIntervals++;
        if (residual < 0)
        {
            _book.DeficitUj = -residual;
            residual = 0;
        }
        else
        {
            _book.DeficitUj = 0;
        }
        _book.OtherUj += residual;
        if (residual > 0 || _held.Open) _held.Add(from, now, residual, provenance);
    }

    /// <summary>The start of a window: what each job, idle and unattributed has drawn so far.</summary>
    public void Begin(ReadOnlySpan<Holder> jobs, Books books)
    {
        if (_rule != OtherRule.Proportional) return;
        _jobsAtStart.Clear();
        foreach (var j in jobs) _jobsAtStart[j.Book!] = Components(j.Book!.Energy);
        _idleAtStart = Components(books.Idle);
        _unattributedAtStart = Components(books.Unattributed);
    }

    /// <summary>The end of a window: the held <c>other</c> to the jobs, idle and unattributed by the rule.</summary>
    public void Settle(ReadOnlySpan<Holder> jobs, Books books)
    {
        if (!_held.Open) return;
        var energy = _held.Uj;
        var (from, to, provenance) = (_held.From, _held.To, _held.Provenance);
        _held.Clear();
        if (energy == 0) return;
        if (jobs.Length + 2 > _weights.Length || jobs.Length + 2 > _parts.Length)
        {
            _weights = new double[jobs.Length * 2 + 2];
            _parts = new long[jobs.Length * 2 + 4];
        }
        var n = jobs.Length;
        var weights = _weights.AsSpan(0, n);
        var parts = _parts.AsSpan(0, n + 2);
        var length = to - from;
        if (_rule == OtherRule.Proportional)
        {
            Span<double> fractions = _weights.AsSpan(0, n + 2);
            double all = 0;
            for (var k = 0; k < n; k++) all += fractions[k] = Math.Max(0, Components(jobs[k].Book!.Energy) - _jobsAtStart.GetValueOrDefault(jobs[k].Book!));
            all += fractions[n] = Math.Max(0, Components(books.Idle) - _idleAtStart);
            all += fractions[n + 1] = Math.Max(0, Components(books.Unattributed) - _unattributedAtStart);
            if (all <= 0) fractions[n] = 1; // nothing drawn that anyone could see: the node's own (idle)
            ExactSplit.Apportion(energy, fractions, parts);
        }
        else
        {
            var unknown = 0.0;
            for (var k = 0; k < n; k++)
            {
                var presence = length > 0 ? jobs[k].Overlap(from, to) / length : 0;
                var share = _rule == OtherRule.Cores ? jobs[k].CpuShare : 1.0;
                if (double.IsNaN(share))
                {
                    unknown += presence;
                    weights[k] = 0;
                }
                else
                {
                    weights[k] = presence * Math.Clamp(share, 0, 1);
                }
            }
            if (_rule == OtherRule.Equal)
            {
                // Jobs side by side share the window equally: presences that add up past the whole are scaled down.
                double claimed = 0;
                foreach (var w in weights) claimed += w;
                if (claimed > 1) for (var k = 0; k < n; k++) weights[k] /= claimed;
            }
            ExactSplit.ByWeights(energy, weights, unknown, parts);
        }
        for (var k = 0; k < n; k++) jobs[k].Book!.Energy.Add(ComponentKind.Other, new Energy(parts[k]), provenance);
        books.Idle.Add(ComponentKind.Other, new Energy(parts[n]), provenance);
        books.Unattributed.Add(ComponentKind.Other, new Energy(parts[n + 1]), provenance);
    }

    private static long Components(in ComponentEnergy e) => e.Total.Microjoules - e[ComponentKind.Other].Microjoules;
}
