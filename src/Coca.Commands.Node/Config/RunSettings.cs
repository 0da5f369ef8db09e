namespace Coca.Commands.Node.Config;

/// <summary><c>[run]</c>: <c>coca run</c>'s settings and their defaults, written here and nowhere else.</summary>
public static class RunSettings
{
    public const string Section = "run";

    public static readonly TextSetting Country = new(Section, "country", DefaultDescription: "world average");
    public static readonly NumberSetting CarbonIntensity = new(Section, "carbon_intensity") { Range = CarbonRanges.Intensity };
    public static readonly NumberSetting Pue = new(Section, "pue", 1.0, "1.0, a workstation") { Range = CarbonRanges.Pue };
    public static readonly NumberSetting Interval = new(Section, "interval", 1.0) { Range = NumberRange.Seconds(0.01, 3600) };
    public static readonly TextSetting OutputDir = new(Section, "output_dir", ".", "the current directory");
    public static readonly TextSetting Project = new(Section, "project", "coca");

    public static IReadOnlyList<Setting> All { get; } = [Country, CarbonIntensity, Pue, Interval, OutputDir, Project];
}
