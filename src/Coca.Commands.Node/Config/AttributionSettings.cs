namespace Coca.Commands.Node.Config;

/// <summary><c>[attribution]</c>: the rules of the engine that a site chooses.</summary>
public static class AttributionSettings
{
    public const string Section = "attribution";

    /// <summary>How what only a node meter sees is charged: proportional, equal or cores.</summary>
    public static readonly TextSetting Other = new(Section, "other", "proportional");

    /// <summary><c>coca calibrate --json</c>'s output: its model gives <c>other</c> on a node without a meter of its own.</summary>
    public static readonly TextSetting Calibration = new(Section, "calibration", DefaultDescription: "none");

    /// <summary>Which node of the calibration file stands for this node's type (needed when the file has several).</summary>
    public static readonly TextSetting CalibrationNode = new(Section, "calibration_node", DefaultDescription: "the file's only node");

    public static IReadOnlyList<Setting> All { get; } = [Other, Calibration, CalibrationNode];
}
