namespace Coca.Tracker.Results;

/// <summary>One device's energy over the run. <see cref="Counted"/> false: reported, not added to any total.</summary>
public sealed record DeviceResult(
    string Id,
    string Kind,
    double EnergyJ,
    string Provenance,
    bool Counted,
    string Source,
    string Label,
    double? AveragePowerW,
    string? Note,
    IReadOnlyDictionary<string, string> Attributes);
