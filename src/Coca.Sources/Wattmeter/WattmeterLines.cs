using System.Globalization;
using Coca.Core.Attribution.Offline;

namespace Coca.Sources.Wattmeter;

/// <summary>
/// Parses a wattmeter's lines, one at a time (a file, an archive, the new lines of a growing file): the header line
/// sets the columns, then each row gives samples for the mapped nodes. A bad frame, a malformed row or a number out
/// of range is skipped alone and counted, never guessed; the good rows beside it are kept.
/// </summary>
public sealed class WattmeterLines
{
    /// <summary>Largest power a channel or a node may report, W: a wattmeter on one node's supplies; more is a corrupt row.</summary>
    public const double MaxWatts = 100_000;

    private readonly WattmeterFormat _format;
    private readonly ChannelMap? _channels;
    private string[]? _header;
    private int _time = -1, _frameOk = -1, _node = -1, _power = -1, _energy = -1;
    private readonly Dictionary<int, int> _activePower = [];

    /// <param name="channels">Omegawatt's channel map (required for that format).</param>
    public WattmeterLines(WattmeterFormat format, ChannelMap? channels)
    {
        if (format == WattmeterFormat.Omegawatt && channels is null) throw new FormatException("an Omegawatt file needs a channel map (--channels n51=1+2,...)");
        _format = format;
        _channels = channels;
    }

    /// <summary>Rows skipped because the meter flagged the frame bad.</summary>
    public long BadFrames { get; private set; }

    /// <summary>Rows skipped as malformed (fields missing, not numbers, out of range), with the first few reasons.</summary>
    public long Malformed { get; private set; }
    public List<string> Problems { get; } = [];

    public long Rows { get; private set; }

    /// <summary>Forget the header: the next line is a new file's (a rotated file begins with its own header).</summary>
    public void Reset() => _header = null;

    /// <summary>Adds the samples of <paramref name="line"/> to <paramref name="into"/>.</summary>
    public void Read(string line, List<WattmeterSample> into)
    {
        line = line.TrimEnd('\r');
        if (line.Trim().Length == 0) return;
        var fields = line.Split(',');
        for (var i = 0; i < fields.Length; i++) fields[i] = fields[i].Trim();
        if (_header is null || IsHeader(fields))
        {
            TakeHeader(fields);
            return;
        }
        Rows++;
        if (!TimeParser.TryParse(At(fields, _time), out var time, out var timeError))
        {
            Skip(timeError ?? "bad time");
            return;
        }
        if (_format == WattmeterFormat.Omegawatt) ReadFrame(fields, time, into);
        else ReadRow(fields, time, into);
    }

    private void ReadFrame(string[] fields, double time, List<WattmeterSample> into)
    {
        if (_frameOk >= 0 && At(fields, _frameOk) is not ("1" or "true" or "True" or "TRUE"))
        {
            BadFrames++;
            return;
        }
        foreach (var (node, channels) in _channels!.Nodes)
        {
            var sum = 0.0;
            foreach (var c in channels)
            {
                if (!_activePower.TryGetValue(c, out var column))
                {
                    Skip($"no column #activepow{c} for node {node}");
                    return;
                }
                if (Number(At(fields, column), MaxWatts) is not { } w)
                {
                    Skip($"#activepow{c} '{At(fields, column)}' is not a power from 0 to {MaxWatts} W");
                    return;
                }
                sum += w;
            }
            into.Add(new WattmeterSample(time, node, sum));
        }
    }

    private void ReadRow(string[] fields, double time, List<WattmeterSample> into)
    {
        var node = At(fields, _node);
        if (node.Length == 0)
        {
            Skip("no node");
            return;
        }
        if (Number(At(fields, _power), MaxWatts) is not { } watts)
        {
            Skip($"power_w '{At(fields, _power)}' is not a power from 0 to {MaxWatts} W");
            return;
        }
        double? energy = null;
        if (_energy >= 0 && At(fields, _energy).Length > 0)
        {
            energy = Number(At(fields, _energy), 1e15);
            if (energy is null)
            {
                Skip($"energy_j '{At(fields, _energy)}' is not an energy from 0 to 1e15 J");
                return;
            }
        }
        into.Add(new WattmeterSample(time, node, watts, energy));
    }

    private bool IsHeader(string[] fields) => fields.Length > 0 && (fields[0].StartsWith('#') || fields[0].Equals("time", StringComparison.OrdinalIgnoreCase));

    private void TakeHeader(string[] fields)
    {
        if (!IsHeader(fields)) throw new FormatException($"expected a header line, got '{string.Join(',', fields.Take(4))}…'");
        _header = fields;
        _activePower.Clear();
        _time = _frameOk = _node = _power = _energy = -1;
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].TrimStart('#').ToLowerInvariant();
            switch (name)
            {
                case "timestamp" or "time": _time = i; break;
                case "frame_is_ok": _frameOk = i; break;
                case "node": _node = i; break;
                case "power_w": _power = i; break;
                case "energy_j": _energy = i; break;
                default:
                    if (name.StartsWith("activepow", StringComparison.Ordinal) && int.TryParse(name["activepow".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var c)) _activePower[c] = i;
                    break;
            }
        }
        if (_time < 0) throw new FormatException("the header has no time column (#timestamp or time)");
        if (_format == WattmeterFormat.Csv && (_node < 0 || _power < 0)) throw new FormatException("a generic wattmeter CSV needs the columns time,node,power_w[,energy_j]");
        if (_format == WattmeterFormat.Omegawatt && _activePower.Count == 0) throw new FormatException("an Omegawatt header names no #activepowN column");
    }

    private void Skip(string why)
    {
        Malformed++;
        if (Problems.Count < 10) Problems.Add($"row {Rows}: {why}");
    }

    private static string At(string[] fields, int i) => i >= 0 && i < fields.Length ? fields[i] : "";

    private static double? Number(string text, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0 && v <= max ? v : null;
}
