using System.Globalization;

namespace Coca.Sources.Wattmeter;

/// <summary>
/// Which wattmeter channels feed which node: <c>n51=1+2,n52=3+4</c>. A node's power is the sum of its power supplies'
/// channels. Channels are numbered from 1, as Omegawatt's columns (<c>#activepow1</c>); a channel feeds one node only.
/// </summary>
public sealed class ChannelMap
{
    public const int MaxChannel = 256;

    private ChannelMap(IReadOnlyDictionary<string, int[]> nodes) => Nodes = nodes;

    /// <summary>Each node's channels, in the order given.</summary>
    public IReadOnlyDictionary<string, int[]> Nodes { get; }

    /// <summary>The map in <paramref name="spec"/>; a <see cref="FormatException"/> naming the first fault.</summary>
    public static ChannelMap Parse(string spec)
    {
        var nodes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var owner = new Dictionary<int, string>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1) throw new FormatException($"channel map entry '{part}' is not NODE=CHANNEL[+CHANNEL...]");
            var node = part[..eq].Trim();
            if (node.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) throw new FormatException($"channel map: node name '{node}' has a space or a control character");
            if (nodes.ContainsKey(node)) throw new FormatException($"channel map names node {node} twice");
            var channels = new List<int>();
            foreach (var c in part[(eq + 1)..].Split('+', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxChannel)
                {
                    throw new FormatException($"channel map: '{c}' for node {node} is not a channel number from 1 to {MaxChannel}");
                }
                if (owner.TryGetValue(n, out var other)) throw new FormatException($"channel map: channel {n} is given to both {other} and {node}");
                owner[n] = node;
                channels.Add(n);
            }
            nodes[node] = [.. channels];
        }
        if (nodes.Count == 0) throw new FormatException("channel map is empty: expected NODE=CHANNEL[+CHANNEL...],...");
        return new ChannelMap(nodes);
    }

    public override string ToString() => string.Join(',', Nodes.Select(n => $"{n.Key}={string.Join('+', n.Value)}"));
}
