namespace Coca.Commands.Node.Config;

/// <summary><c>[attribution]</c>: the rules of the engine that a site chooses.</summary>
public static class AttributionSettings
{
    public const string Section = "attribution";

    /// <summary>How what only a node meter sees is charged: proportional, equal or cores.</summary>
    public static readonly TextSetting Other = new(Section, "other", "proportional");

    public static IReadOnlyList<Setting> All { get; } = [Other];
}
