namespace Coca.Core.Analysis;

/// <summary>
/// One behaviour found: its kind, whose, which jobs, what they drew and what could have been avoided (kWh and
/// gCO2e; null where unknown, never 0 for unknown), where the energy came from, the figures the rule saw and the tip.
/// <see cref="Detail"/> holds plain values only (text, numbers, booleans, null), in the order they are shown.
/// </summary>
public sealed record Finding(
    string Kind,
    string? User,
    IReadOnlyList<string> Jobs,
    double? EnergyKwh,
    double? WastedKwh,
    double? EmissionsG,
    double? WastedEmissionsG,
    string Provenance,
    IReadOnlyList<KeyValuePair<string, object?>> Detail)
{
    public string Tip => BehaviourKind.Tip(Kind);
}
