namespace Coca.Storage.Sql;

/// <summary>
/// A job's <c>other</c> charge from its nodes' (<c>job_nodes.other_*</c>): each distinct rule and source once, in node
/// order, comma-separated (one of each on a site that configures its nodes alike), and the largest model error, so that
/// a job's band is never narrower than its least sure node's. Nothing when no node had a meter or model.
/// </summary>
internal sealed class OtherCharges
{
    private readonly List<string> _rules = [];
    private readonly List<string> _sources = [];

    public double? MapePct { get; private set; }

    public string? Rule => _rules.Count > 0 ? string.Join(", ", _rules) : null;

    public string? Source => _sources.Count > 0 ? string.Join(", ", _sources) : null;

    public void Add(string rule, string source, double? mapePct)
    {
        if (!_rules.Contains(rule)) _rules.Add(rule);
        if (!_sources.Contains(source)) _sources.Add(source);
        if (mapePct is { } m && double.IsFinite(m)) MapePct = Math.Max(MapePct ?? 0, m);
    }
}
