using Coca.Core.Metering;
using Coca.Sources.NodeMeter;

namespace Coca.Sources.Wattmeter;

/// <summary>
/// This node's power from a wattmeter's live file: the new rows at each read, integrated by their own timestamps
/// (the trapezoid between consecutive rows; a gap longer than <see cref="MaxGapSeconds"/> is not bridged), published as
/// the meter's cumulative energy with the last row's time and power. A meter that gives its own energy (the generic
/// format's <c>energy_j</c>) is taken as it is.
/// </summary>
public sealed class WattmeterReader : IMeterReader
{
    public const string SourceName = "wattmeter";

    /// <summary>Rows further apart than this leave the time between them unmeasured (the logger stopped).</summary>
    public const double MaxGapSeconds = 10;

    private readonly FileTail _tail;
    private readonly WattmeterLines _parser;
    private readonly string _node;
    private readonly List<WattmeterSample> _rows = [];
    private WattmeterSample? _last;
    private double _energyJoules;

    public WattmeterReader(string file, WattmeterFormat format, ChannelMap? channels, string node)
    {
        if (format == WattmeterFormat.Omegawatt && channels is not null && !channels.Nodes.ContainsKey(node))
        {
            throw new FormatException($"the channel map ({channels}) has no channels for this node, {node}");
        }
        _tail = new FileTail(file);
        _parser = new WattmeterLines(format, channels);
        _node = node;
        Label = $"{format.ToString().ToLowerInvariant()} file {file}" + (channels is not null && channels.Nodes.TryGetValue(node, out var c) ? $", channels {string.Join('+', c)}" : "");
    }

    public string Name => SourceName;
    public string Label { get; }
    public WattmeterLines Parser => _parser;

    /// <summary>Seconds between rows that were not integrated (gaps).</summary>
    public double GapSeconds { get; private set; }

    public Task<MeterReading> ReadAsync(Func<double> now, CancellationToken cancel)
    {
        List<string> lines;
        try
        {
            lines = _tail.ReadNewLines();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MeterProblemException($"cannot read {_tail.Path}: {e.GetType().Name}");
        }
        if (_tail.Restarted) _parser.Reset();
        _rows.Clear();
        try
        {
            foreach (var line in lines) _parser.Read(line, _rows);
        }
        catch (FormatException e)
        {
            throw new MeterProblemException($"{_tail.Path}: {e.Message}");
        }
        foreach (var row in _rows)
        {
            if (row.Node != _node) continue;
            Add(row);
        }
        if (_last is not { } last) throw new MeterProblemException($"{_tail.Path}: no row for {_node} yet");
        return Task.FromResult(new MeterReading(now(), last.Watts, last.EnergyJoules ?? _energyJoules, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(last.Time * 1000)), Origin: _tail.Path));
    }

    private void Add(WattmeterSample row)
    {
        if (_last is { } before && row.Time > before.Time)
        {
            var dt = row.Time - before.Time;
            if (dt <= MaxGapSeconds) _energyJoules += (before.Watts + row.Watts) / 2 * dt;
            else GapSeconds += dt;
        }
        if (_last is null || row.Time >= _last.Value.Time) _last = row;
    }

    public void Dispose()
    {
    }
}
